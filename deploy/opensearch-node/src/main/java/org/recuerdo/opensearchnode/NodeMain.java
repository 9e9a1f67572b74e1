package org.recuerdo.opensearchnode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.ExtensiblePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts one real OpenSearch node in this JVM, from OpenSearch's Maven
 * artifacts: the server and the modules the distribution ships that
 * recuerdo's backend may use: netty4 (transport and HTTP), analysis-common
 * (asciifolding, the stemmers, synonyms, ...), reindex (_reindex,
 * _delete_by_query, _update_by_query), mapper-extras (search_as_you_type,
 * ...) and lang-painless (scripts).
 * The test framework's MockNode is used only because it loads plugins from
 * the classpath; none of its mock services is enabled (no mock plugin is
 * passed), so search, transport and HTTP are the production ones.
 *
 * For tests and benchmarks on loopback; not for production (no security
 * plugin, no bootstrap checks, plain HTTP).
 */
public final class NodeMain {

    private NodeMain() {}

    private static final String USAGE = String.join(
        "\n",
        "usage: NodeMain --data DIR [--cluster-name NAME] [--node-name NAME]",
        "                [--host 127.0.0.1] [--http-port 9200] [--transport-port 9300]",
        "                [--seed-hosts h:p,h:p] [--initial-cluster-managers name,name]",
        "                [--single-node] [--set key=value]...",
        "  --data DIR   folder of this node: DIR/data (indices), DIR/logs, DIR/config",
        "  --seed-hosts transport addresses of the other nodes (discovery.seed_hosts)",
        "  --initial-cluster-managers  node names that may elect the first cluster",
        "               manager on the very first boot (cluster.initial_cluster_manager_nodes);",
        "               defaults to this node's own name when --seed-hosts is not given",
        "  --single-node  discovery.type=single-node (cannot be joined by others)",
        "  --set k=v    any other node setting, repeatable"
    );

    public static void main(String[] args) throws Exception {
        // The test framework jar carries a log4j2-test.properties that log4j
        // would pick first; use ours unless the caller chose another.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "opensearch-node-log4j2.properties");
        }
        // Keep logging alive while the shutdown hook closes the node.
        if (System.getProperty("log4j.shutdownHookEnabled") == null) {
            System.setProperty("log4j.shutdownHookEnabled", "false");
        }
        String data = null;
        String clusterName = "recuerdo-test";
        String nodeName = null;
        String host = "127.0.0.1";
        int httpPort = 9200;
        int transportPort = 9300;
        String seedHosts = null;
        String initialManagers = null;
        boolean singleNode = false;
        List<String> extra = new ArrayList<>();

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--data": data = value(args, ++i, a); break;
                case "--cluster-name": clusterName = value(args, ++i, a); break;
                case "--node-name": nodeName = value(args, ++i, a); break;
                case "--host": host = value(args, ++i, a); break;
                case "--http-port": httpPort = Integer.parseInt(value(args, ++i, a)); break;
                case "--transport-port": transportPort = Integer.parseInt(value(args, ++i, a)); break;
                case "--seed-hosts": seedHosts = value(args, ++i, a); break;
                case "--initial-cluster-managers": initialManagers = value(args, ++i, a); break;
                case "--single-node": singleNode = true; break;
                case "--set": extra.add(value(args, ++i, a)); break;
                case "-h":
                case "--help":
                    System.out.println(USAGE);
                    return;
                default:
                    die("unknown argument " + a);
            }
        }
        if (data == null) {
            die("--data is required");
        }
        if (nodeName == null) {
            nodeName = "node-" + httpPort;
        }

        Path home = Paths.get(data).toAbsolutePath().normalize();
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));

        Settings.Builder b = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", clusterName)
            .put("node.name", nodeName)
            .put("network.host", host)
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            // A test machine shared with other work: do not let the disk
            // watermarks turn indices read-only or leave replicas unassigned.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // Write http.ports / transport.ports into path.logs.
            .put(Node.WRITE_PORTS_FILE_SETTING.getKey(), true);

        if (singleNode) {
            b.put("discovery.type", "single-node");
        } else {
            String self = host + ":" + transportPort;
            b.putList("discovery.seed_hosts", seedHosts == null ? List.of(self) : split(seedHosts));
            String managers = initialManagers != null ? initialManagers : (seedHosts == null ? nodeName : null);
            if (managers != null && !managers.isEmpty()) {
                b.putList("cluster.initial_cluster_manager_nodes", split(managers));
            }
        }
        for (String kv : extra) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                die("--set wants key=value, got " + kv);
            }
            b.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Settings settings = b.build();
        // The log pattern's %node_name needs this before the first logger.
        LogConfigurator.setNodeName(nodeName);

        List<Class<? extends Plugin>> plugins = List.of(
            Netty4Plugin.class,
            CommonAnalysisPlugin.class,
            ReindexPlugin.class,
            MapperExtrasPlugin.class,
            PainlessPlugin.class
        );
        loadPainlessExtensions();
        long t0 = System.nanoTime();
        Node node;
        try {
            node = new MockNode(settings, plugins, true);
        } catch (Exception e) {
            // Thread pools may already run: exit instead of lingering.
            fail("cannot create the node", e);
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("opensearch-node: close: " + e);
            } finally {
                closed.countDown();
            }
        }, "opensearch-node-shutdown"));
        try {
            node.start();
        } catch (Exception e) {
            // e.g. a port already bound; the shutdown hook closes the node.
            fail("cannot start the node", e);
        }
        System.out.printf(
            "opensearch-node: started %s in cluster %s, http %s:%d, transport %s:%d, data %s, %d ms%n",
            nodeName, clusterName, host, httpPort, host, transportPort, home,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        closed.await();
    }

    /**
     * Plugins loaded from the classpath extend no other plugin, so OpenSearch
     * hands Painless no extensions, and analysis-common's whitelist (the
     * {@code token} of predicate_token_filter and condition scripts) would be
     * missing. PainlessPlugin keeps its whitelists in a static map: load the
     * PainlessExtension services found on the classpath into it before the
     * node builds its script engine.
     */
    private static void loadPainlessExtensions() {
        new PainlessPlugin().loadExtensions(new ExtensiblePlugin.ExtensionLoader() {
            @Override
            public <T> List<T> loadExtensions(Class<T> type) {
                List<T> found = new ArrayList<>();
                ServiceLoader.load(type, NodeMain.class.getClassLoader()).forEach(found::add);
                return found;
            }
        });
    }

    private static List<String> split(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static void fail(String what, Exception e) {
        System.err.println("opensearch-node: " + what + ": " + e);
        e.printStackTrace();
        System.exit(1);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            die(flag + " wants a value");
        }
        return args[i];
    }

    private static void die(String msg) {
        System.err.println("opensearch-node: " + msg);
        System.err.println(USAGE);
        System.exit(2);
    }
}
