package tradeties.esnode;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.health.ClusterHealthResponse;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.health.ClusterHealthStatus;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.transport.TransportAddress;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one real Elasticsearch node in this JVM until SIGTERM/SIGINT, then closes it cleanly.
 *
 * <p>Prints exactly one line to stdout when the node is started (HTTP bound, cluster state recovered, and
 * health at least yellow, i.e. every existing primary shard active, or a 60 s wait spent):
 * {@code tradeties-es-node started http=HOST:PORT transport=HOST:PORT version=V health=yellow|green|red pid=N}. On a startup
 * failure it prints {@code tradeties-es-node failed: ...} to stderr and exits with status 1.
 * Everything else goes to the log files under path.logs.
 */
public final class EsNodeMain {

    static final String READY_PREFIX = "tradeties-es-node started";
    static final String FAILED_PREFIX = "tradeties-es-node failed:";

    /**
     * Module name to class. Every node runs networking (the only server module Elastic publishes on Maven Central)
     * and the launcher's own stand-in for the unpublished rest-root module ({@code GET /}).
     */
    static Map<String, Class<? extends Plugin>> modules(LaunchOptions options) {
        Map<String, Class<? extends Plugin>> modules = new LinkedHashMap<>();
        modules.put("transport-netty4", Netty4Plugin.class);
        modules.put("tradeties-root-info", RootInfoPlugin.class);
        if (options.englishAnalysis()) {
            modules.put("tradeties-english-analysis", EnglishAnalysisPlugin.class);
        }
        return Collections.unmodifiableMap(modules);
    }

    private static final long CLOSE_TIMEOUT_SECONDS = 20;
    private static final TimeValue HEALTH_TIMEOUT = TimeValue.timeValueSeconds(60);

    private EsNodeMain() {}

    public static void main(String[] args) {
        // LogConfigurator redirects System.out/err into log4j; keep the real streams for the ready line.
        PrintStream out = System.out;
        PrintStream err = System.err;
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (LaunchOptions.UsageException e) {
            if (e.getMessage() != null) {
                err.println(FAILED_PREFIX + " " + e.getMessage());
            }
            err.print(LaunchOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }

        Node node;
        ClusterHealthStatus health;
        try {
            node = start(options);
            health = awaitYellow(node);
        } catch (Throwable t) {
            err.println(FAILED_PREFIX + " " + t);
            t.printStackTrace(err);
            err.flush();
            LogManager.getLogger(EsNodeMain.class).error("startup failed", t);
            shutdownLogging();
            // halt: half-constructed node threads must not keep the JVM alive
            Runtime.getRuntime().halt(1);
            return;
        }

        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                close(node, options);
            } finally {
                closed.countDown();
            }
        }, "tradeties-es-node-shutdown"));

        out.println(readyLine(node, health));
        out.flush();

        // Keep a non-daemon thread alive until the shutdown hook has closed the node.
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Node start(LaunchOptions options) throws Exception {
        Path configDir = options.home().resolve("config");
        Files.createDirectories(configDir);
        Files.createDirectories(options.data());
        Files.createDirectories(options.logs());
        installLogConfig(configDir);

        Settings settings = NodeSettings.build(options);

        LogConfigurator.registerErrorListener();
        LogConfigurator.setClusterName(ClusterName.CLUSTER_NAME_SETTING.get(settings).value());
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(settings));
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), configDir, options::nodeName);
        LogConfigurator.configure(environment, false);

        Logger logger = LogManager.getLogger(EsNodeMain.class);
        Map<String, Class<? extends Plugin>> modules = modules(options);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            logger.error(() -> "uncaught exception in thread [" + thread.getName() + "]", e);
            if (e instanceof VirtualMachineError) {
                // as the server's own handler does: after an OOM or the like the node cannot be trusted
                shutdownLogging();
                Runtime.getRuntime().halt(1);
            }
        });
        logger.info(
            "starting Elasticsearch {} on JVM {} {}, home [{}], modules {}",
            Build.current().qualifiedVersion(),
            Runtime.version(),
            System.getProperty("java.vendor"),
            options.home(),
            modules.keySet()
        );

        Node node = new ClasspathNode(environment, modules);
        try {
            node.start();
        } catch (Throwable t) {
            node.close();
            throw t;
        }
        if (options.pidFile() != null) {
            Files.writeString(options.pidFile(), Long.toString(ProcessHandle.current().pid()));
        }
        return node;
    }

    /**
     * After a restart, existing shards recover after {@code Node.start()} returns; wait until every primary
     * is active so "started" means "usable". Returns the health status reached (red if the wait timed out).
     */
    static ClusterHealthStatus awaitYellow(Node node) {
        ClusterHealthResponse health = node.client()
            .admin()
            .cluster()
            .prepareHealth(HEALTH_TIMEOUT)
            .setWaitForYellowStatus()
            .setTimeout(HEALTH_TIMEOUT)
            .get();
        if (health.isTimedOut()) {
            LogManager.getLogger(EsNodeMain.class).warn("cluster health still {} after {}", health.getStatus(), HEALTH_TIMEOUT);
        }
        return health.getStatus();
    }

    static String readyLine(Node node, ClusterHealthStatus health) {
        TransportAddress http = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
        TransportAddress transport = node.injector().getInstance(TransportService.class).boundAddress().publishAddress();
        return READY_PREFIX
            + " http="
            + http.getAddress()
            + ":"
            + http.getPort()
            + " transport="
            + transport.getAddress()
            + ":"
            + transport.getPort()
            + " version="
            + Build.current().version()
            + " health="
            + health.name().toLowerCase(Locale.ROOT)
            + " pid="
            + ProcessHandle.current().pid();
    }

    private static void close(Node node, LaunchOptions options) {
        Logger logger = LogManager.getLogger(EsNodeMain.class);
        logger.info("stopping node");
        try {
            node.prepareForClose();
            node.close();
            if (node.awaitClose(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS) == false) {
                logger.warn("node did not close within {} s", CLOSE_TIMEOUT_SECONDS);
            } else {
                logger.info("node closed");
            }
        } catch (IOException e) {
            logger.error("failure while closing the node", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (options.pidFile() != null) {
                try {
                    Files.deleteIfExists(options.pidFile());
                } catch (IOException e) {
                    logger.warn("could not delete pid file {}", options.pidFile());
                }
            }
            shutdownLogging();
        }
    }

    /** Always overwrite: the file belongs to the launcher, not the user. */
    private static void installLogConfig(Path configDir) throws IOException {
        try (InputStream in = EsNodeMain.class.getResourceAsStream("log4j2.properties")) {
            if (in == null) {
                throw new IllegalStateException("log4j2.properties missing from the launcher jar");
            }
            Files.copy(in, configDir.resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Flushes the log files; log4j's own shutdown hook is off (-Dlog4j.shutdownHookEnabled=false). */
    private static void shutdownLogging() {
        if (LogManager.getContext(false) instanceof LoggerContext context) {
            Configurator.shutdown(context);
        }
    }
}
