package io.rapace.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A 64-bit fingerprint of what a method's messages mean: its call shape, and the structure of its request and
 * response types, followed through every named type they use: field order, field names and types, variant order,
 * names and fields, the names of several parameters (which travel as a tuple). Documentation, the names of types and
 * of a single parameter, the method's name and the service's name are left out: they change neither the bytes nor
 * what they mean. Two sides whose fingerprints of a method differ would decode each other's messages as garbage (or
 * fail), so a session refuses that method's calls ({@code docs/compatibility.md}, "The schema check").
 *
 * <p>The fingerprint is the first 8 bytes (big-endian) of the SHA-256 of a canonical text: one entry for the method,
 * then one per named type in the order a depth-first walk of the request, then the response, first reaches them;
 * a named type is written as {@code #n}, its place in that order, so recursive types end and renamed ones match.
 */
public final class SchemaFingerprint {
    private SchemaFingerprint() {
    }

    /**
     * The fingerprint of method {@code method} of {@code service}, whose types it resolves its named types in (a named
     * type the service does not define counts as {@code ?}).
     */
    public static long of(ServiceDescriptor service, MethodDescriptor method) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", new Walk(service).method(method))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long fingerprint = 0;
        for (int i = 0; i < 8; i++) {
            fingerprint = (fingerprint << 8) | (digest[i] & 0xFF);
        }
        return fingerprint == 0 ? 1 : fingerprint; // 0 means "none" on the wire
    }

    /** A fingerprint as the schema check prints and sends it: 16 lower-case hex digits. */
    public static String hex(long fingerprint) {
        return java.util.HexFormat.of().toHexDigits(fingerprint);
    }

    /**
     * Where method {@code methodId} differs between two versions of its service, in words naming the method and the
     * first type that differs on each side; empty when the two mean the same ({@link #of} is equal) or neither side
     * has the method.
     */
    public static Optional<String> difference(ServiceDescriptor here, ServiceDescriptor peer, int methodId) {
        return difference(here, peer, methodId, "here", "on the peer");
    }

    /**
     * As {@link #difference(ServiceDescriptor, ServiceDescriptor, int)}, naming the two sides {@code hereLabel} and
     * {@code peerLabel} ("in the running version", "in the new version").
     */
    public static Optional<String> difference(ServiceDescriptor here, ServiceDescriptor peer, int methodId,
            String hereLabel, String peerLabel) {
        Optional<MethodDescriptor> mine = here.method(methodId);
        Optional<MethodDescriptor> theirs = peer.method(methodId);
        if (mine.isEmpty() || theirs.isEmpty()) {
            return Optional.empty();
        }
        Walk a = new Walk(here);
        Walk b = new Walk(peer);
        List<String> left = a.method(mine.get());
        List<String> right = b.method(theirs.get());
        String name = here.name() + "." + mine.get().name();
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            String l = i < left.size() ? left.get(i) : null;
            String r = i < right.size() ? right.get(i) : null;
            if (l != null && l.equals(r)) {
                continue;
            }
            if (i == 0) {
                return Optional.of("method " + name + " differs: " + hereLabel + " " + a.describeMethod(mine.get())
                        + ", " + peerLabel + " " + b.describeMethod(theirs.get()));
            }
            return Optional.of("method " + name + " differs in its type " + a.describe(i) + " " + hereLabel + ", "
                    + b.describe(i) + " " + peerLabel);
        }
        return Optional.empty();
    }

    /** A depth-first walk over a method's types, numbering each named type as it is first reached. */
    private static final class Walk {
        private final ServiceDescriptor service;
        private final Map<String, Integer> numbers = new HashMap<>();
        private final List<String> order = new ArrayList<>();

        Walk(ServiceDescriptor service) {
            this.service = service;
        }

        /** The canonical entries: the method's, then one per named type in order. */
        List<String> method(MethodDescriptor method) {
            List<String> entries = new ArrayList<>();
            StringBuilder head = new StringBuilder(method.kind().name()).append(" request ");
            if (method.parameters().size() > 1) {
                head.append('(');
                for (int i = 0; i < method.parameters().size(); i++) {
                    Field p = method.parameters().get(i);
                    head.append(i == 0 ? "" : ", ").append(p.name()).append(": ").append(ref(p.type()));
                }
                head.append(')');
            } else {
                head.append(ref(method.request()));
            }
            head.append(" response ").append(ref(method.response()));
            entries.add(head.toString());
            for (int i = 0; i < order.size(); i++) { // grows while it is walked
                entries.add(schema(order.get(i)));
            }
            return entries;
        }

        private String schema(String name) {
            Optional<TypeSchema> found = service.type(name);
            return found.isEmpty() ? "?" : render(found.get(), "struct ", "enum ", this::fields);
        }

        /**
         * A struct as {@code <structWord>{fields}}, an enum as {@code <enumWord>{Variant, Variant {fields}}}, the
         * fields written by {@code fields}.
         */
        private static String render(TypeSchema type, String structWord, String enumWord,
                java.util.function.Function<List<Field>, String> fields) {
            if (type instanceof TypeSchema.Struct s) {
                return structWord + fields.apply(s.fields());
            }
            TypeSchema.Enum e = (TypeSchema.Enum) type;
            StringBuilder out = new StringBuilder(enumWord).append('{');
            for (int i = 0; i < e.variants().size(); i++) {
                TypeSchema.Variant v = e.variants().get(i);
                out.append(i == 0 ? "" : ", ").append(v.name());
                if (!v.fields().isEmpty()) {
                    out.append(' ').append(fields.apply(v.fields()));
                }
            }
            return out.append('}').toString();
        }

        private String fields(List<Field> fields) {
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < fields.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(fields.get(i).name()).append(": ")
                        .append(ref(fields.get(i).type()));
            }
            return out.append('}').toString();
        }

        private String ref(TypeRef type) {
            if (type instanceof TypeRef.Named n) {
                Integer number = numbers.get(n.name());
                if (number == null) {
                    number = order.size();
                    numbers.put(n.name(), number);
                    order.add(n.name());
                }
                return "#" + number;
            }
            if (type instanceof TypeRef.OptionOf o) {
                return "option<" + ref(o.element()) + ">";
            }
            if (type instanceof TypeRef.ListOf l) {
                return "list<" + ref(l.element()) + ">";
            }
            if (type instanceof TypeRef.MapOf m) {
                return "map<" + ref(m.key()) + ", " + ref(m.value()) + ">";
            }
            if (type instanceof TypeRef.ArrayOf a) {
                return "[" + ref(a.element()) + "; " + a.length() + "]";
            }
            if (type instanceof TypeRef.Tuple t) {
                StringBuilder out = new StringBuilder("(");
                for (int i = 0; i < t.elements().size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(ref(t.elements().get(i)));
                }
                return out.append(')').toString();
            }
            return type.typeName(); // a scalar
        }

        /** Entry {@code i} (a named type) in words: its name and its definition with its own names. */
        String describe(int i) {
            if (i - 1 >= order.size()) {
                return "(none)";
            }
            String name = order.get(i - 1);
            Optional<TypeSchema> found = service.type(name);
            return found.isEmpty() ? name + " (undefined)" : render(found.get(), name + " ", name + " ", Walk::named);
        }

        String describeMethod(MethodDescriptor method) {
            return method.kind() + " (" + named(method.parameters()).replaceAll("^\\{|\\}$", "") + ") -> "
                    + method.response().typeName();
        }

        private static String named(List<Field> fields) {
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < fields.size(); i++) {
                Field f = fields.get(i);
                out.append(i == 0 ? "" : ", ").append(f.name().isEmpty() ? "" : f.name() + ": ")
                        .append(f.type().typeName());
            }
            return out.append('}').toString();
        }
    }
}
