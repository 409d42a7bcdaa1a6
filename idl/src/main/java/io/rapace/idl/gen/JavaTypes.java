package io.rapace.idl.gen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.rapace.idl.model.PrimitiveType;
import io.rapace.idl.model.TypeRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java type of each schema type ({@code docs/idl.md}, "Types"), in two forms: {@link #plain} for code (locals, codec
 * constants), and the annotated form of declarations (record components, parameters, results), which carries what
 * the Java type alone loses, as annotated Java would write it: {@code @Unsigned} on u8..u128, {@code @CodePoint} on
 * {@code char}, {@code @Fixed(N)} on {@code [T; N]}. At the top of a declaration these read as declaration
 * annotations ({@code @Fixed(4) @Unsigned int[] ids}); inside it they are type-use annotations
 * ({@code List<@Unsigned Integer>}, {@code byte[] @Fixed(2) []}).
 */
final class JavaTypes {

    private final SchemaIndex index;

    JavaTypes(SchemaIndex index) {
        this.index = index;
    }

    /** The Java type without annotations; {@code void} for {@code ()}. */
    TypeName plain(TypeRef type) {
        if (type instanceof TypeRef.Primitive primitive) {
            return primitive(primitive.type());
        }
        if (type instanceof TypeRef.OptionOf option) {
            return ParameterizedTypeName.get(RuntimeTypes.OPTIONAL, boxed(option.element()));
        }
        if (type instanceof TypeRef.ListOf list) {
            return ParameterizedTypeName.get(RuntimeTypes.LIST, boxed(list.element()));
        }
        if (type instanceof TypeRef.MapOf map) {
            return ParameterizedTypeName.get(RuntimeTypes.MAP, boxed(map.key()), boxed(map.value()));
        }
        if (type instanceof TypeRef.ArrayOf array) {
            return ArrayTypeName.of(plain(array.element()));
        }
        if (type instanceof TypeRef.Declared declared) {
            return Names.type(index.resolve(declared));
        }
        if (type instanceof TypeRef.Unit) {
            return TypeName.VOID;
        }
        throw new IllegalArgumentException("a tuple has no Java type of its own: " + type.toIdl());
    }

    /** {@link #plain}, boxed where a primitive stands in a type argument; {@code Unit} for {@code ()}. */
    TypeName boxed(TypeRef type) {
        if (type instanceof TypeRef.Unit) {
            return RuntimeTypes.UNIT;
        }
        return plain(type).box();
    }

    /** The type of a declaration: its top-level annotations go to {@link #declarationAnnotations}. */
    TypeName declared(TypeRef type) {
        if (type instanceof TypeRef.ArrayOf array) {
            return ArrayTypeName.of(component(array.element()));
        }
        if (type instanceof TypeRef.Primitive || type instanceof TypeRef.Declared || type instanceof TypeRef.Unit) {
            return plain(type);
        }
        return annotated(type, false);
    }

    /** The declaration annotations of a top-level type: {@code @Fixed(N)} and the scalar's own. */
    List<AnnotationSpec> declarationAnnotations(TypeRef type) {
        List<AnnotationSpec> annotations = new ArrayList<>();
        TypeRef leaf = type;
        if (leaf instanceof TypeRef.ArrayOf array) {
            annotations.add(fixed(array.length()));
            leaf = array.element();
            while (leaf instanceof TypeRef.ArrayOf inner) {
                leaf = inner.element();
            }
        }
        AnnotationSpec scalar = scalarAnnotation(leaf);
        if (scalar != null) {
            annotations.add(scalar);
        }
        return annotations;
    }

    /** A parameter of {@code type} named {@code name}, annotated as a declaration. */
    ParameterSpec parameter(TypeRef type, String name) {
        return ParameterSpec.builder(declared(type), name).addAnnotations(declarationAnnotations(type)).build();
    }

    /** A result type, annotated inline ({@code @Unsigned int}); {@code void} for {@code ()}. */
    TypeName result(TypeRef type) {
        if (type instanceof TypeRef.Unit) {
            return TypeName.VOID;
        }
        return annotated(type, false);
    }

    /** A stream element or other type argument: boxed, with type-use annotations. */
    TypeName typeArgument(TypeRef type) {
        return annotated(type, true);
    }

    /** The component of a top-level array: nested arrays carry their {@code @Fixed}, scalars are plain. */
    private TypeName component(TypeRef element) {
        if (element instanceof TypeRef.ArrayOf array) {
            return ArrayTypeName.of(component(array.element())).annotated(fixed(array.length()));
        }
        if (element instanceof TypeRef.Primitive || element instanceof TypeRef.Declared) {
            return plain(element);
        }
        return annotated(element, false);
    }

    /** The type with type-use annotations everywhere; boxed when {@code box}. */
    private TypeName annotated(TypeRef type, boolean box) {
        if (type instanceof TypeRef.Primitive) {
            TypeName name = box ? boxed(type) : plain(type);
            AnnotationSpec annotation = scalarAnnotation(type);
            return annotation == null ? name : name.annotated(annotation);
        }
        if (type instanceof TypeRef.OptionOf option) {
            return ParameterizedTypeName.get(RuntimeTypes.OPTIONAL, annotated(option.element(), true));
        }
        if (type instanceof TypeRef.ListOf list) {
            return ParameterizedTypeName.get(RuntimeTypes.LIST, annotated(list.element(), true));
        }
        if (type instanceof TypeRef.MapOf map) {
            return ParameterizedTypeName.get(RuntimeTypes.MAP, annotated(map.key(), true),
                    annotated(map.value(), true));
        }
        if (type instanceof TypeRef.ArrayOf array) {
            return ArrayTypeName.of(annotated(array.element(), false)).annotated(fixed(array.length()));
        }
        return box ? boxed(type) : plain(type);
    }

    private static AnnotationSpec scalarAnnotation(TypeRef type) {
        if (type instanceof TypeRef.Primitive primitive) {
            if (primitive.type().isUnsigned()) {
                return AnnotationSpec.builder(RuntimeTypes.UNSIGNED).build();
            }
            if (primitive.type() == PrimitiveType.CHAR) {
                return AnnotationSpec.builder(RuntimeTypes.CODE_POINT).build();
            }
        }
        return null;
    }

    private static AnnotationSpec fixed(int length) {
        return AnnotationSpec.builder(RuntimeTypes.FIXED).addMember("value", "$L", length).build();
    }

    static TypeName primitive(PrimitiveType type) {
        return switch (type) {
            case BOOL -> TypeName.BOOLEAN;
            case I8, U8 -> TypeName.BYTE;
            case I16, U16 -> TypeName.SHORT;
            case I32, U32, CHAR -> TypeName.INT;
            case I64, U64 -> TypeName.LONG;
            case I128, U128 -> RuntimeTypes.BIG_INTEGER;
            case F32 -> TypeName.FLOAT;
            case F64 -> TypeName.DOUBLE;
            case STRING -> RuntimeTypes.STRING;
            case BYTES -> ArrayTypeName.of(TypeName.BYTE);
        };
    }
}
