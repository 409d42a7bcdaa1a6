package io.rapace.idl.model;

import java.util.List;
import java.util.Objects;

/**
 * A use of a type: in a field, a parameter or a method result. Built-in types and the generic forms are spelled out
 * here; a declared struct or enum is referred to by its {@link TypeName}, which the {@link Schema} resolves to the
 * declaration (so that recursive types need no cycles between records).
 *
 * <p>{@link Unit} appears only as a whole method argument or result, and {@link Tuple} only as the request type of a
 * method with named parameters ({@link Method#requestType()}); neither can be nested in another type, and the
 * constructors reject that.
 */
public sealed interface TypeRef
        permits TypeRef.Primitive, TypeRef.OptionOf, TypeRef.ListOf, TypeRef.MapOf, TypeRef.ArrayOf,
                TypeRef.Declared, TypeRef.Unit, TypeRef.Tuple {

    /** Where this use of the type was written. */
    SourcePosition position();

    /** The type as the IDL spells it, e.g. {@code map<string, list<u8>>}; declared types by their simple name. */
    String toIdl();

    /** Whether this is a type a value can have: anything but {@link Unit} and {@link Tuple}. */
    default boolean isValueType() {
        return !(this instanceof Unit) && !(this instanceof Tuple);
    }

    /** A built-in scalar type: {@code bool}, the integers, floats, {@code char}, {@code string}, {@code bytes}. */
    record Primitive(PrimitiveType type, SourcePosition position) implements TypeRef {
        public Primitive {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toIdl() {
            return type.idlName();
        }
    }

    /** {@code option<T>}: absent, or a value of {@code element}. */
    record OptionOf(TypeRef element, SourcePosition position) implements TypeRef {
        public OptionOf {
            Require.valueType(element, "option element");
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toIdl() {
            return "option<" + element.toIdl() + ">";
        }
    }

    /** {@code list<T>}: any number of values of {@code element}. */
    record ListOf(TypeRef element, SourcePosition position) implements TypeRef {
        public ListOf {
            Require.valueType(element, "list element");
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toIdl() {
            return "list<" + element.toIdl() + ">";
        }
    }

    /** {@code map<K, V>}: keys are integers, {@code bool}, {@code string}, {@code char} or unit-only enums. */
    record MapOf(TypeRef key, TypeRef value, SourcePosition position) implements TypeRef {
        public MapOf {
            Require.valueType(key, "map key");
            Require.valueType(value, "map value");
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toIdl() {
            return "map<" + key.toIdl() + ", " + value.toIdl() + ">";
        }
    }

    /** {@code [T; N]}: exactly {@code length} values of {@code element}, with no length on the wire. */
    record ArrayOf(TypeRef element, int length, SourcePosition position) implements TypeRef {
        public ArrayOf {
            Require.valueType(element, "array element");
            if (length < 1) {
                throw new IllegalArgumentException("fixed array length must be at least 1, was " + length);
            }
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toIdl() {
            return "[" + element.toIdl() + "; " + length + "]";
        }
    }

    /** A declared struct or enum, resolved through {@link Schema#resolve(Declared)}. */
    record Declared(TypeName name, SourcePosition position) implements TypeRef {
        public Declared {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toIdl() {
            return name.simpleName();
        }
    }

    /** {@code ()}: no argument or no result. Never nested in another type. */
    record Unit(SourcePosition position) implements TypeRef {
        public Unit {
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toIdl() {
            return "()";
        }
    }

    /** The values of named parameters, encoded one after the other; only ever a method's request type. */
    record Tuple(List<TypeRef> elements, SourcePosition position) implements TypeRef {
        public Tuple {
            elements = List.copyOf(elements);
            if (elements.isEmpty()) {
                throw new IllegalArgumentException("a tuple has at least one element");
            }
            for (TypeRef element : elements) {
                Require.valueType(element, "tuple element");
            }
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toIdl() {
            StringBuilder text = new StringBuilder("(");
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) {
                    text.append(", ");
                }
                text.append(elements.get(i).toIdl());
            }
            return text.append(')').toString();
        }
    }
}
