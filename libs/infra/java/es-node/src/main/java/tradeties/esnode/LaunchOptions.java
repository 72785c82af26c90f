package tradeties.esnode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command line of the launcher. Paths are made absolute; unknown flags are an error. */
record LaunchOptions(
    Path home,
    Path data,
    Path logs,
    String host,
    int httpPort,
    int transportPort,
    String clusterName,
    String nodeName,
    Path pidFile,
    boolean englishAnalysis,
    Map<String, String> extraSettings
) {

    static final String USAGE = """
        usage: java [jvm flags] -cp <classpath> tradeties.esnode.EsNodeMain --home DIR [options]
          --home DIR             node home (config/ is written there); required
          --data DIR             path.data (default: HOME/data)
          --logs DIR             path.logs (default: HOME/logs)
          --host ADDR            bind/publish address for HTTP and transport (default: 127.0.0.1)
          --http-port N          http.port (default: 9200)
          --transport-port N     transport.port (default: 9300)
          --cluster-name NAME    cluster.name (default: tradeties-local)
          --node-name NAME       node.name (default: tradeties-es-node)
          --pid-file FILE        write the process id there once started (removed on exit)
          --english-analysis     add the launcher's English analysis module (english analyzer,
                                 stemmer/porter_stem/kstem/asciifolding filters); off by default
          -E key=value           any other node setting (repeatable)
        """;

    static LaunchOptions parse(String[] args) {
        Path home = null;
        Path data = null;
        Path logs = null;
        String host = "127.0.0.1";
        int httpPort = 9200;
        int transportPort = 9300;
        String clusterName = "tradeties-local";
        String nodeName = "tradeties-es-node";
        Path pidFile = null;
        boolean englishAnalysis = false;
        Map<String, String> extra = new LinkedHashMap<>();

        List<String> rest = new ArrayList<>(List.of(args));
        while (rest.isEmpty() == false) {
            String flag = rest.remove(0);
            if (flag.equals("-h") || flag.equals("--help")) {
                throw new UsageException(null);
            }
            if (flag.equals("--english-analysis")) {
                englishAnalysis = true;
                continue;
            }
            if (rest.isEmpty()) {
                throw new UsageException("missing value for " + flag);
            }
            String value = rest.remove(0);
            switch (flag) {
                case "--home" -> home = absolute(value);
                case "--data" -> data = absolute(value);
                case "--logs" -> logs = absolute(value);
                case "--host" -> host = value;
                case "--http-port" -> httpPort = port(flag, value);
                case "--transport-port" -> transportPort = port(flag, value);
                case "--cluster-name" -> clusterName = value;
                case "--node-name" -> nodeName = value;
                case "--pid-file" -> pidFile = absolute(value);
                case "-E" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("-E expects key=value, got " + value);
                    }
                    extra.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new UsageException("unknown option " + flag);
            }
        }
        if (home == null) {
            throw new UsageException("--home is required");
        }
        return new LaunchOptions(
            home,
            data != null ? data : home.resolve("data"),
            logs != null ? logs : home.resolve("logs"),
            host,
            httpPort,
            transportPort,
            clusterName,
            nodeName,
            pidFile,
            englishAnalysis,
            Map.copyOf(extra)
        );
    }

    private static Path absolute(String value) {
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static int port(String flag, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new UsageException(flag + " out of range: " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " is not a number: " + value);
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
