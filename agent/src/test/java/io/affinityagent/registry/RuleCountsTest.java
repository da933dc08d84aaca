package io.affinityagent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What attach and detach say rule by rule, through the reply's field and back. */
class RuleCountsTest {

    @Test
    void theReplysLinesComeBackAsTheCommandSaysThem() {
        Reply reply = new Reply("1", "attach");
        reply.rule(new RuleCounts("web", 10, 0, 0, 0));
        reply.rule(new RuleCounts("idle", 0, 0, 0, 0));
        reply.rule(new RuleCounts("loops", 3, 1, 2, 0));

        List<RuleCounts> back = RuleCounts.parse(reply.fields().get(Reply.BY_RULE));

        assertThat(RuleCounts.pinned("pinned", back)).isEqualTo("pinned 10 running threads of rule web, 3 of rule loops");
        assertThat(RuleCounts.released(back)).isEqualTo("2 threads of rule loops");
        assertThat(RuleCounts.pinned("re-pinned", List.of(new RuleCounts("one", 1, 0, 0, 0))))
                .isEqualTo("re-pinned 1 running thread of rule one");
        assertThat(RuleCounts.pinned("pinned", List.of())).isEqualTo("pinned no running thread");
        assertThat(RuleCounts.parse("garbage\nweb x 0 0 0")).isEmpty();
    }
}
