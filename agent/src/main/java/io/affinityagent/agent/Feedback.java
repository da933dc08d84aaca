package io.affinityagent.agent;

import io.affinityagent.log.AgentLog;
import io.affinityagent.registry.Reply;

/** Says something to the user: to the log, and to the command line that asked, if one did. */
final class Feedback {

    private final AgentLog log;
    private final Reply reply;

    /** @param reply the reply to the command line, or null at JVM start */
    Feedback(AgentLog log, Reply reply) {
        this.log = log;
        this.reply = reply;
    }

    AgentLog log() {
        return log;
    }

    void error(String message) {
        log.error(message);
        if (reply != null) {
            reply.error(message);
        }
    }

    /** To the command line only (the log says it otherwise). */
    void replyError(String message) {
        if (reply != null) {
            reply.error(message);
        }
    }

    void warn(String message) {
        log.warn(message);
        if (reply != null) {
            reply.warning(message);
        }
    }
}
