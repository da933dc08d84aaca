package io.affinityagent.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When premain may leave main to the application at once, and when it must decide before main. */
class AgentLauncherTest {

    @TempDir
    Path dir;

    private Path config(String text) throws IOException {
        return Files.write(dir.resolve("affinity.properties"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPlainConfigAndThePlainOptionsLeaveMainAtOnce() throws IOException {
        Path file = config("rule.a.thread-name = a-*\nrule.a.cpus = all\nlog = debug\n");
        assertThat(AgentLauncher.mayStartBesideMain("config=" + file)).isTrue();
        assertThat(AgentLauncher.mayStartBesideMain(" config = " + file)).as("a spelling it does not know").isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("config=" + file + ", log=debug,start=background")).isTrue();
        assertThat(AgentLauncher.mayStartBesideMain("log=quiet,config=" + file)).isTrue();
    }

    @Test
    void onErrorOrBeforeMainInTheArgumentsDecidesBeforeMain() throws IOException {
        Path file = config("rule.a.thread-name = a-*\n");
        assertThat(AgentLauncher.mayStartBesideMain("config=" + file + ",on-error=fail")).isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("config=" + file + ",on-error=warn")).isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("config=" + file + ",start=before-main")).isFalse();
    }

    @Test
    void argumentsTheAgentWouldCallBadAreSaidBeforeMain() throws IOException {
        Path file = config("rule.a.thread-name = a-*\n");
        assertThat(AgentLauncher.mayStartBesideMain(null)).isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("")).isFalse();
        assertThat(AgentLauncher.mayStartBesideMain(file.toString())).as("a bare path").isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("config=")).isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("config=" + file + ",log=loud")).isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("config=" + file + ",verbose")).isFalse();
    }

    @Test
    void aConfigFileThatMentionsOnErrorOrHoldsAnEscapeDecidesBeforeMain() throws IOException {
        assertThat(AgentLauncher.mayStartBesideMain("config=" + config("on-error = fail\n"))).isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("config=" + config("# on-error = warn\n"))).as("even in a comment").isFalse();
        assertThat(AgentLauncher.mayStartBesideMain("config=" + config("on\\u002derror = fail\n"))).isFalse();
    }

    @Test
    void anAttachWaitsWhileTheStartPremainHandedOffIsUnderWay() throws InterruptedException {
        AgentLauncher.setStartBesideMainPending(true);
        // The launcher's agentmain itself; here, with no agent jar, it then says it cannot start the agent.
        Thread attach = new Thread(() -> AgentLauncher.agentmain("detach", null), "attach");
        try {
            attach.start();
            while (attach.getState() != Thread.State.WAITING) { // waits on the launcher's lock, nothing else
                assertThat(attach.isAlive()).as("the attach waits").isTrue();
                Thread.onSpinWait();
            }
        } finally {
            AgentLauncher.setStartBesideMainPending(false);
        }
        attach.join(10_000);
        assertThat(attach.isAlive()).as("the attach goes on once the start has ended").isFalse();
    }

    @Test
    void aConfigFileThatCannotBeReadIsLeftToTheStartThreadWhichSaysWhy() {
        assertThat(AgentLauncher.mayStartBesideMain("config=" + dir.resolve("missing.properties"))).isTrue();
        assertThat(AgentLauncher.mayStartBesideMain("config=" + dir)).as("a folder").isTrue();
    }
}
