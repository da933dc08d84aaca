package io.affinityagent.it.apps;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.implementation.FixedValue;

/**
 * An application that instruments its own classes with its own ByteBuddy (self-attached, as
 * ByteBuddyAgent.install() does): it retransforms a class it already loaded, which makes the JVM
 * run every retransforming agent's transformer again, the affinity agent's included. Prints
 * {@code GREETER <before> -> <after> BYTEBUDDY <its jar>}, then runs a pool of two.
 */
public final class ByteBuddyApp {

    private ByteBuddyApp() {
    }

    public static void main(String[] args) throws Exception {
        Greeter greeter = new Greeter();
        String before = greeter.greet();
        Instrumentation inst = ByteBuddyAgent.install();
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.Listener.StreamWriting.toSystemError().withErrorsOnly())
                .type(named("io.affinityagent.it.apps.Greeter"))
                .transform((builder, type, loader, module, domain) -> builder.method(named("greet"))
                        .intercept(FixedValue.value("instrumented-by-the-application")))
                .installOn(inst);
        String after = greeter.greet();
        String jar = java.nio.file.Paths.get(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getFileName().toString();
        System.out.println("GREETER " + before + " -> " + after + " BYTEBUDDY " + jar);
        TwoWorkers.start("bb", "bb-");
        TwoWorkers.readyThenWaitForExit();
    }
}
