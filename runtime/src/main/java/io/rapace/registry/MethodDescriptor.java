package io.rapace.registry;

import io.rapace.annotation.MethodKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A method of a service, as the registry describes it.
 *
 * @param id         the method id, a u32 in an int (never 0)
 * @param name       the name as written ({@code Logger.log}, {@code count_to})
 * @param kind       the call shape
 * @param parameters the parameters in order: none, one unnamed argument (an empty name, for {@code (T)}), or named
 *                   parameters; for a client- or bidi-streaming method they describe one element of the stream
 * @param response   the result type, or the element type of a response stream; {@link TypeRef#UNIT} for none
 * @param doc        the {@code ///} documentation, empty if there is none
 */
public record MethodDescriptor(int id, String name, MethodKind kind, List<Field> parameters, TypeRef response,
        String doc) {

    /** Postcard codec of method descriptors (the layout of a method inside a service descriptor). */
    public static final io.rapace.codec.Codec<MethodDescriptor> CODEC = io.rapace.codec.Codec.of(
            RegistryCodec::encodeMethod, RegistryCodec::decodeMethod, RegistryCodec.METHOD_MIN_SIZE);

    public MethodDescriptor {
        if (id == 0) {
            throw new IllegalArgumentException("method " + name + " has id 0, which is reserved");
        }
        if (Objects.requireNonNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("method " + Integer.toUnsignedString(id) + " needs a name");
        }
        Objects.requireNonNull(kind, "kind");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(doc, "doc");
        Set<String> seen = new HashSet<>();
        for (Field parameter : parameters) {
            if (parameter.name().isEmpty() && parameters.size() > 1) {
                throw new IllegalArgumentException("method " + name + " mixes an unnamed argument with others");
            }
            if (!seen.add(parameter.name())) {
                throw new IllegalArgumentException("method " + name + " has two parameters named " + parameter.name());
            }
        }
    }

    /**
     * The request type (the element type of a request stream): {@code ()} without parameters, the parameter's type
     * for one, and the tuple of their types for several, which is how they are encoded.
     */
    public TypeRef request() {
        if (parameters.isEmpty()) {
            return TypeRef.UNIT;
        }
        if (parameters.size() == 1) {
            return parameters.get(0).type();
        }
        List<TypeRef> types = new ArrayList<>(parameters.size());
        for (Field parameter : parameters) {
            types.add(parameter.type());
        }
        return new TypeRef.Tuple(types);
    }
}
