package org.elasticsearch.node;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.List;

/**
 * A {@link Node} whose modules are plugin classes on the class path, built the way the test framework's
 * MockNode builds one (through {@code NodeConstruction} with a service provider that swaps in the
 * plugins service). Both hooks are package-private, hence this package.
 *
 * <p>Unlike the real server entry point this never runs {@code org.elasticsearch.bootstrap.Elasticsearch}:
 * no bootstrap checks, no root check, no entitlements or security manager, no seccomp filter.
 */
public final class ClasspathNode extends Node {

    public ClasspathNode(Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        super(NodeConstruction.prepareConstruction(environment, null, new ClasspathServiceProvider(List.copyOf(pluginClasses)), true));
    }

    private static final class ClasspathServiceProvider extends NodeServiceProvider {
        private final List<Class<? extends Plugin>> pluginClasses;

        ClasspathServiceProvider(List<Class<? extends Plugin>> pluginClasses) {
            this.pluginClasses = pluginClasses;
        }

        @Override
        PluginsService newPluginService(Environment initialEnvironment, PluginsLoader pluginsLoader) {
            return new ClasspathPluginsService(initialEnvironment, pluginClasses);
        }
    }
}
