package io.affinityagent.config;

/** What a bad config does to the application: nothing ({@code warn}) or stop it ({@code fail}). */
public enum OnError {
    WARN, FAIL;

    public static OnError fromConfigName(String name) {
        switch (name) {
            case "warn":
                return WARN;
            case "fail":
                return FAIL;
            default:
                return null;
        }
    }
}
