package io.restrictd.service.e2e;

import io.restrictd.testkit.CommandResult;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real node and syncer processes of the other IT packages, {@code it.NodeProcess} and
 * {@code syncer.SyncerProcess}, called from here rather than copied. Both are package-private, so they
 * are reached by reflection until they are made public; then each method here becomes one direct call
 * and this class can go. A renamed or re-typed member fails the first call that uses it, naming it.
 */
final class Processes {
    private Processes() {
    }

    /** A lookup node: {@code ops/bin/restrictd node} on a copy of the service jar (see NodeProcess). */
    static final class Node implements AutoCloseable {
        private static final Class<?> TYPE = type("io.restrictd.service.it.NodeProcess");
        private final Object node;

        private Node(Object node) {
            this.node = node;
        }

        /** Builds and starts a node on {@code topic} whose socketmap listens on {@code socketmapPort}. */
        static Node start(String name, Path dir, String bootstrap, String topic, int socketmapPort) {
            Object builder = invoke(null, method(TYPE, "builder", String.class, Path.class, String.class), name, dir,
                    bootstrap);
            Class<?> b = builder.getClass();
            invoke(builder, method(b, "topic", String.class), topic);
            invoke(builder, method(b, "socketmapPort", int.class), socketmapPort);
            Node node = new Node(invoke(builder, method(b, "build")));
            invoke(node.node, method(TYPE, "start"));
            return node;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> status() {
            return (Map<String, Object>) invoke(node, method(TYPE, "status"));
        }

        /** {@code GET /restrictions/{subject}?kind=...}: the node's own account of what it answers and why. */
        @SuppressWarnings("unchecked")
        Map<String, Object> explain(String kind, String subject) {
            return (Map<String, Object>) invoke(node, method(TYPE, "explain", String.class, String.class), kind,
                    subject);
        }

        /** {@code postmap -q KEY socketmap:inet:127.0.0.1:PORT:sender}. */
        CommandResult postmap(String key) {
            return (CommandResult) invoke(node, method(TYPE, "postmap", String.class), key);
        }

        /** {@code ops/bin/restrictd restrict ARGS... --config} this node's configuration. */
        CommandResult restrict(String... args) {
            return (CommandResult) invoke(node, method(TYPE, "restrict", String[].class), (Object) args);
        }

        String logText() {
            return (String) invoke(node, method(TYPE, "logText"));
        }

        @Override
        public void close() {
            invoke(node, method(TYPE, "destroy"));
        }
    }

    /** A syncer: {@code ops/bin/restrictd syncer ops/config/syncer.yml} (see SyncerProcess). */
    static final class Syncer implements AutoCloseable {
        private static final Class<?> TYPE = type("io.restrictd.service.syncer.SyncerProcess");
        private final Object syncer;

        private Syncer(Object syncer) {
            this.syncer = syncer;
        }

        /** Starts a syncer on topics {@code PREFIX.restrictions}, {@code PREFIX.audit}, ... */
        static Syncer start(String name, Path dir, String bootstrap, String ldapUrl, String password, String prefix) {
            try {
                Constructor<?> c = TYPE.getDeclaredConstructor(String.class, Path.class, String.class, String.class,
                        String.class, String.class, String.class);
                c.setAccessible(true);
                Syncer s = new Syncer(c.newInstance(name, dir, prefix, bootstrap, ldapUrl, password, prefix));
                invoke(s.syncer, method(TYPE, "start"));
                return s;
            } catch (InvocationTargetException e) {
                throw rethrow(e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("SyncerProcess's constructor changed: " + e, e);
            }
        }

        /** {@code GET /healthcheck}: the body, empty if the admin endpoint does not answer (yet). */
        @SuppressWarnings("unchecked")
        Map<String, Object> health() {
            Object h = invoke(syncer, method(TYPE, "health"));
            return (Map<String, Object>) invoke(h, method(h.getClass(), "body"));
        }

        String logText() {
            return (String) invoke(syncer, method(TYPE, "logText"));
        }

        @Override
        public void close() {
            invoke(syncer, method(TYPE, "close"));
        }
    }

    private static Class<?> type(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is gone from the test class path", e);
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method m = type.getDeclaredMethod(name, parameters);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getSimpleName() + "." + name + " changed or is gone", e);
        }
    }

    private static Object invoke(Object target, Method m, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RuntimeException rethrow(InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(cause);
    }
}
