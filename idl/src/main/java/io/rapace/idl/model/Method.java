package io.rapace.idl.model;

import io.rapace.annotation.MethodKind;
import java.util.Objects;

/**
 * A method of a service.
 *
 * @param name the name as written, e.g. {@code Logger.log}; the registry shows it and the default id hashes it
 * @param javaName the Java method, e.g. {@code loggerLog}
 * @param id the method id: an unsigned 32-bit number held in an {@code int} ({@code 0xFFFFFFFF} is {@code -1});
 *     never 0
 * @param explicitId whether the id was written ({@code = 1000}) rather than derived by {@link MethodIds}
 * @param kind how requests and responses flow
 * @param parameters what the method takes; a streamed request side takes exactly one type, its element type
 * @param responseType the result, {@link TypeRef.Unit} for none; for a streamed response side, the element type
 * @param doc the {@code ///} documentation; empty when there is none
 * @param position where the method was written (its kind keyword)
 */
public record Method(String name, String javaName, int id, boolean explicitId, MethodKind kind,
                     Parameters parameters, TypeRef responseType, String doc, SourcePosition position) {

    public Method {
        Require.nonEmpty(name, "method name");
        Require.nonEmpty(javaName, "method Java name");
        if (id == 0) {
            throw new IllegalArgumentException("method " + name + " has id 0, which is reserved");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(responseType, "responseType");
        if (responseType instanceof TypeRef.Tuple) {
            throw new IllegalArgumentException("method " + name + " cannot return a tuple");
        }
        if (kind.streamsRequests() && !(parameters instanceof Parameters.Single)) {
            throw new IllegalArgumentException(MethodKinds.idlKeyword(kind) + " method " + name
                    + " needs exactly one unnamed argument type, the element type of its request stream");
        }
        if (kind.streamsResponses() && responseType instanceof TypeRef.Unit) {
            throw new IllegalArgumentException(MethodKinds.idlKeyword(kind) + " method " + name
                    + " needs a result type, the element type of its response stream");
        }
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(position, "position");
    }

    /** The type of one request (one element of the request stream when the request side streams). */
    public TypeRef requestType() {
        return parameters.requestType();
    }

    /** The id as the unsigned number it is on the wire. */
    public long unsignedId() {
        return Integer.toUnsignedLong(id);
    }
}
