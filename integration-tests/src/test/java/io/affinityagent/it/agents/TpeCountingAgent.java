package io.affinityagent.it.agents;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * An application's own Java agent that also transforms ThreadPoolExecutor, with ByteBuddy: it
 * counts the calls to execute() in an AtomicLong kept in the system properties (the advice is
 * inlined into java.base, so it may only use JDK types). The integration test packs this class
 * into a jar of its own and starts it next to ours, in either order.
 */
public final class TpeCountingAgent {

    public static final String COUNTER = "test-agent.tpe.execute";

    private TpeCountingAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        System.getProperties().put(COUNTER, new AtomicLong());
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.Listener.StreamWriting.toSystemError().withErrorsOnly())
                .ignore(nameStartsWith("net.bytebuddy."))
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform((builder, type, loader, module, domain) ->
                        builder.visit(Advice.to(ExecuteAdvice.class).on(named("execute"))))
                .installOn(inst);
    }

    /** Inlined at the start of ThreadPoolExecutor.execute. */
    public static final class ExecuteAdvice {
        private ExecuteAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter() {
            Object counter = System.getProperties().get(COUNTER);
            if (counter instanceof AtomicLong) {
                ((AtomicLong) counter).incrementAndGet();
            }
        }
    }
}
