package tradeties.esnode;

import org.elasticsearch.common.settings.Settings;

/** The node settings of a local, single-node, loopback-only development/test node. */
final class NodeSettings {

    private NodeSettings() {}

    static Settings build(LaunchOptions options) {
        Settings.Builder builder = Settings.builder()
            .put("path.home", options.home().toString())
            .put("path.data", options.data().toString())
            .put("path.logs", options.logs().toString())
            .put("cluster.name", options.clusterName())
            .put("node.name", options.nodeName())
            // one node, elects itself; never looks for peers
            .put("discovery.type", "single-node")
            // bind and publish HTTP and transport on loopback only
            .put("network.host", options.host())
            .put("http.port", options.httpPort())
            .put("transport.port", options.transportPort())
            // a developer disk that is 90% full must not make indices read-only
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // a small heap shared with a test run: do not trip on GC-lagging heap readings
            .put("indices.breaker.total.use_real_memory", false);
        // No security settings: x-pack is not on the class path, so "xpack.*" keys would be rejected as unknown.
        options.extraSettings().forEach(builder::put);
        return builder.build();
    }
}
