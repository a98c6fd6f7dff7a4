/**
 * The vocabulary shared by the agent, the wire and the server: what a person was doing, when.
 * Depends on the JDK only, so that every other module can depend on it.
 */
module com.xentracker.core {
    exports com.xentracker.core.activity;
    exports com.xentracker.core.policy;
}
