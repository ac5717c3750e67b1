package dev.corral.server.egress.gate;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Java agent ({@code -javaagent}, run by {@code bin/corral-server}) that makes the JDK call
 * {@link ConnectGate} before every connect and datagram send. Java 24 removed the SecurityManager,
 * and neither Truffle nor GraalPy has a hook that filters socket destinations (GraalPy's audit hooks
 * are stubs), so the check goes where every socket of the JVM ends: two JDK methods, rewritten at
 * load with the JDK's own class-file API. A Python-level patch of {@code socket} would be a guard rail
 * only: {@code _socket}, or any module holding the original functions, goes around it.
 */
public final class ConnectHookAgent {
    private static final ClassDesc GATE = ClassDesc.of(ConnectGate.class.getName());
    private static final ClassDesc INET_ADDRESS = ClassDesc.of("java.net.InetAddress");
    private static final ClassDesc SOCKET_ADDRESS = ClassDesc.of("java.net.SocketAddress");

    /** One JDK method to hook: where it lives, which overload, and the call put at its start. */
    private record Hook(String className, String method, String descriptor, java.util.function.Consumer<CodeBuilder> call) {
        String internalName() {
            return className.replace('.', '/');
        }

        boolean matches(MethodModel model) {
            return model.methodName().equalsString(method) && model.methodType().equalsString(descriptor);
        }

        String label() {
            return className + "." + method;
        }
    }

    /**
     * {@code static int Net.connect(ProtocolFamily, FileDescriptor, InetAddress, int)}: the address and
     * port are locals 2 and 3, after any wildcard address has been turned into the loopback one.
     * {@code public int DatagramChannelImpl.send(ByteBuffer, SocketAddress)}: the target is local 2.
     */
    private static final List<Hook> HOOKS = List.of(
            new Hook("sun.nio.ch.Net", "connect", "(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/InetAddress;I)I",
                    code -> code.aload(2).iload(3).invokestatic(GATE, "beforeConnect",
                            MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_void, INET_ADDRESS, java.lang.constant.ConstantDescs.CD_int))),
            new Hook("sun.nio.ch.DatagramChannelImpl", "send", "(Ljava/nio/ByteBuffer;Ljava/net/SocketAddress;)I",
                    code -> code.aload(2).invokestatic(GATE, "beforeSend",
                            MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_void, SOCKET_ADDRESS))));

    private ConnectHookAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) throws Exception {
        // java.base must read the boot loader's unnamed module, where the gate is, to call it.
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(ConnectGate.class.getModule()), java.util.Map.of(), java.util.Map.of(),
                Set.of(), java.util.Map.of());
        Set<String> rewritten = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ClassFileTransformer transformer = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                for (Hook hook : HOOKS) {
                    if (hook.internalName().equals(name)) {
                        byte[] result = rewrite(bytes, hook);
                        if (result != null) {
                            rewritten.add(hook.label());
                        }
                        return result;
                    }
                }
                return null;
            }
        };
        instrumentation.addTransformer(transformer, true);
        try {
            for (Hook hook : HOOKS) {
                // Loaded now (most already are, by the JVM's start), then rewritten in place; marked only
                // once the JVM has verified and installed the new code.
                Class<?> target = Class.forName(hook.className(), false, null);
                try {
                    instrumentation.retransformClasses(target);
                } catch (RuntimeException | java.lang.instrument.UnmodifiableClassException | VerifyError e) {
                    System.err.println("corral: cannot hook " + hook.label() + ": " + e);
                    continue;
                }
                if (rewritten.contains(hook.label())) {
                    ConnectGate.markHooked(hook.label());
                }
            }
            if (ConnectGate.hooked().size() == HOOKS.size()) {
                ConnectGate.markComplete();
            }
        } finally {
            instrumentation.removeTransformer(transformer);
        }
    }

    private static byte[] rewrite(byte[] bytes, Hook hook) {
        try {
            ClassFile files = ClassFile.of();
            ClassModel model = files.parse(bytes);
            if (model.methods().stream().noneMatch(hook::matches)) {
                // A JDK whose internals moved: the server sees the hook missing and refuses to open sockets.
                System.err.println("corral: " + hook.label() + hook.descriptor() + " not found in this JDK; egress stays closed");
                return null;
            }
            Predicate<MethodModel> target = hook::matches;
            byte[] rewritten = files.transformClass(model, ClassTransform.transformingMethodBodies(target, new CodeTransform() {
                @Override
                public void atStart(CodeBuilder code) {
                    hook.call().accept(code);
                }

                @Override
                public void accept(CodeBuilder code, CodeElement element) {
                    code.with(element);
                }
            }));
            return rewritten;
        } catch (RuntimeException | Error e) {
            // A transformer's exception is swallowed by the JVM: say it, and leave the hook unmarked.
            System.err.println("corral: cannot hook " + hook.label() + ": " + e);
            return null;
        }
    }
}
