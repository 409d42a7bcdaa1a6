package io.rapace.idl.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a method takes: nothing ({@code ()}), one unnamed argument ({@code (LogRequest)}), or named parameters
 * ({@code (a: i64, b: i64)}), which are encoded as the tuple of their values in order.
 */
public sealed interface Parameters permits Parameters.None, Parameters.Single, Parameters.Named {

    /** The request type these parameters are encoded as: {@code ()}, the one type, or the tuple of the named ones. */
    TypeRef requestType();

    /** No argument: {@code ()} (or {@code (())}). Nothing on the wire; no Java parameter. */
    record None(SourcePosition position) implements Parameters {
        public None {
            Objects.requireNonNull(position, "position");
        }

        @Override
        public TypeRef requestType() {
            return new TypeRef.Unit(position);
        }
    }

    /**
     * One unnamed argument, {@code (T)}.
     *
     * @param type the argument's type, never {@code ()}
     * @param javaName the Java parameter name ({@code request} for IDL input, which has no name,
     *     or {@code requests} when it is the element type of a request stream)
     */
    record Single(TypeRef type, String javaName) implements Parameters {
        public Single {
            Require.valueType(type, "argument type");
            Require.nonEmpty(javaName, "parameter Java name");
        }

        @Override
        public TypeRef requestType() {
            return type;
        }
    }

    /** Named parameters in order, at least one. */
    record Named(List<Parameter> parameters) implements Parameters {
        public Named {
            parameters = Require.copy(parameters, "parameters");
            if (parameters.isEmpty()) {
                throw new IllegalArgumentException("named parameters need at least one parameter");
            }
        }

        @Override
        public TypeRef requestType() {
            List<TypeRef> types = new ArrayList<>(parameters.size());
            for (Parameter parameter : parameters) {
                types.add(parameter.type());
            }
            return new TypeRef.Tuple(types, parameters.get(0).position());
        }
    }
}
