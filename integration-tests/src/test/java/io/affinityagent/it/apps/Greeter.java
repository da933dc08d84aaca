package io.affinityagent.it.apps;

/** A class of the application that the application's own ByteBuddy instruments. */
public final class Greeter {

    public String greet() {
        return "hello";
    }
}
