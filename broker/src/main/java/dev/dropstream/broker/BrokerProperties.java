package dev.dropstream.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The server configuration of the single-node broker: one node that is both broker and the only
 * controller voter, sized for a laptop or a test JVM rather than a production host.
 */
final class BrokerProperties {
    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String CLIENT_LISTENER = "PLAINTEXT";

    private BrokerProperties() {
    }

    static Properties of(Path dataDir, String listenAddress, String advertisedHost, int port, int controllerPort,
            Map<String, String> overrides) {
        String controller = Listeners.hostPort(Listeners.LOOPBACK, controllerPort);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        // A static voter set (kraft.version 0): the controller endpoint comes from this config on every
        // start rather than from the formatted log, so a new controller port after a restart is harmless.
        p.put("controller.quorum.voters", NODE_ID + "@" + controller);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", CLIENT_LISTENER + "://" + Listeners.hostPort(listenAddress, port)
                + "," + CONTROLLER_LISTENER + "://" + controller);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + Listeners.hostPort(advertisedHost, port));
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("log.dirs", dataDir.toString());
        p.put("metadata.log.dir", dataDir.toString());

        // One node: every internal topic must be satisfiable by it, or transactions
        // (exactly-once) and consumer groups never get a coordinator.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Fewer internal partitions than the production 50: faster first start, and plenty for one node.
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("num.partitions", "1");
        // No waiting for more members to join: tests and a laptop have one consumer per group.
        p.put("group.initial.rebalance.delay.ms", "0");

        // Small thread pools and cleaner buffer: the broker shares a JVM and a laptop with other work.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }
}
