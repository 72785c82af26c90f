package org.elasticsearch.node;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Map;

/**
 * A {@link Node} whose modules are plugin classes on the class path, built the way the test framework's
 * MockNode builds one (through {@code NodeConstruction} with a service provider that swaps in the
 * plugins service). Both hooks are package-private, hence this package.
 *
 * <p>Unlike the real server entry point this never runs {@code org.elasticsearch.bootstrap.Elasticsearch}:
 * no bootstrap checks, no root check, no entitlements or security manager, no seccomp filter.
 */
public final class ClasspathNode extends Node {

    /** @param modules module name to plugin class, in load order */
    public ClasspathNode(Environment environment, Map<String, Class<? extends Plugin>> modules) {
        super(NodeConstruction.prepareConstruction(environment, null, new ClasspathServiceProvider(modules), true));
    }

    private static final class ClasspathServiceProvider extends NodeServiceProvider {
        private final Map<String, Class<? extends Plugin>> modules;

        ClasspathServiceProvider(Map<String, Class<? extends Plugin>> modules) {
            this.modules = modules;
        }

        @Override
        PluginsService newPluginService(Environment initialEnvironment, PluginsLoader pluginsLoader) {
            return new ClasspathPluginsService(initialEnvironment, modules);
        }
    }
}
