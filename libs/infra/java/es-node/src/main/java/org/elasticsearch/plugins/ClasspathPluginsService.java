package org.elasticsearch.plugins;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.spi.SPIClassIterator;

import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link PluginsService} whose plugins are classes already on the application class path, the way
 * Elasticsearch's test framework runs modules (its MockPluginsService). It lives in this package because
 * {@code loadPlugin}, {@code loadExtensions} and {@code LoadedPlugin} are package-private.
 *
 * <p>The real server loads each module from a bundle directory into its own class loader; Maven Central
 * only has the jars, so everything shares the system class loader instead.
 */
public final class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> loaded;

    /** @param modules module name (as reported by the nodes info API) to plugin class, in load order */
    public ClasspathPluginsService(Environment environment, Map<String, Class<? extends Plugin>> modules) {
        // An empty loader: no module/plugin directories are scanned.
        super(environment.settings(), environment.configDir(), PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false));
        Settings settings = environment.settings();
        Path configDir = environment.configDir();
        List<LoadedPlugin> plugins = new ArrayList<>(modules.size());
        for (Map.Entry<String, Class<? extends Plugin>> module : modules.entrySet()) {
            Class<? extends Plugin> pluginClass = module.getValue();
            Plugin plugin = loadPlugin(pluginClass, settings, configDir);
            PluginDescriptor descriptor = new PluginDescriptor(
                module.getKey(),
                "classpath module",
                Build.current().version(),
                Build.current().version(),
                Integer.toString(Runtime.version().feature()),
                pluginClass.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false
            );
            plugins.add(new LoadedPlugin(descriptor, plugin, pluginClass.getClassLoader()));
        }
        loadExtensions(plugins);
        this.loaded = List.copyOf(plugins);
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return loaded;
    }

    @Override
    public PluginsAndModules info() {
        // Report them as modules: they are built in, as modules are in a distribution.
        return new PluginsAndModules(List.of(), loaded.stream().map(LoadedPlugin::descriptor).toList());
    }

    /**
     * All plugins share one class loader, so scanning each plugin's loader for providers finds every
     * plugin's providers. Build each provider class once, and only for a plugin its constructor accepts
     * (the base implementation would fail on a provider whose constructor takes another plugin's type).
     */
    @Override
    public <T> List<? extends T> loadServiceProviders(Class<T> service) {
        Map<Class<?>, T> providers = new LinkedHashMap<>();
        for (LoadedPlugin loadedPlugin : plugins()) {
            Plugin plugin = loadedPlugin.instance();
            Iterator<Class<? extends T>> classes = SPIClassIterator.get(service, plugin.getClass().getClassLoader());
            while (classes.hasNext()) {
                Class<? extends T> providerClass = classes.next();
                if (providers.containsKey(providerClass) == false && acceptsPlugin(providerClass, plugin)) {
                    providers.put(providerClass, createExtension(providerClass, service, plugin));
                }
            }
        }
        return List.copyOf(providers.values());
    }

    private static boolean acceptsPlugin(Class<?> providerClass, Plugin plugin) {
        for (Constructor<?> constructor : providerClass.getConstructors()) {
            if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] != plugin.getClass()) {
                return false;
            }
        }
        return true;
    }
}
