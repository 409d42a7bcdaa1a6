package io.rapace.idl.gen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.rapace.idl.model.JavaNames;
import io.rapace.idl.model.PrimitiveType;
import io.rapace.idl.model.TypeRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The codecs one generated class needs, as expressions: a scalar's {@code Codecs.I64}, a declared type's
 * {@code FooCodec.CODEC}, and for a composite ({@code option}, {@code list}, {@code map}, {@code [T; N]}) a constant
 * of the class built once from its element codecs ({@code LIST_STRING_CODEC = Codecs.list(Codecs.STRING)}), so that
 * nothing is built per value. Constants are named after their type and shared by every use in the class.
 */
final class CodecPool {

    private final SchemaIndex index;
    private final JavaTypes types;
    private final Modifier[] modifiers;
    private final Map<String, Constant> byKey = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();

    private record Constant(String name, TypeRef type) {
    }

    /** A pool whose constants get {@code modifiers} ({@code private} in a codec, package-private in a descriptor). */
    CodecPool(SchemaIndex index, JavaTypes types, Modifier... modifiers) {
        this.index = index;
        this.types = types;
        this.modifiers = modifiers.clone();
    }

    /** The codec of {@code type}, for a call or an argument: a scalar's, a declared type's, or a constant. */
    CodeBlock codec(TypeRef type) {
        if (type instanceof TypeRef.OptionOf || type instanceof TypeRef.ListOf || type instanceof TypeRef.MapOf
                || type instanceof TypeRef.ArrayOf) {
            return CodeBlock.of("$N", constant(type));
        }
        return simpleCodec(type);
    }

    /** The constant holding the codec of the composite {@code type}, added on first use. */
    String constant(TypeRef type) {
        String key = key(type);
        Constant constant = byKey.get(key);
        if (constant == null) {
            String base = constantWords(type) + "_CODEC";
            String name = base;
            for (int n = 2; !names.add(name); n++) {
                name = base + "_" + n;
            }
            constant = new Constant(name, type);
            byKey.put(key, constant);
        }
        return constant.name();
    }

    /** Whether any constant was used. */
    boolean isEmpty() {
        return byKey.isEmpty();
    }

    /** The constants used, in order of first use. */
    List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        for (Constant constant : byKey.values()) {
            TypeName codecType = ParameterizedTypeName.get(RuntimeTypes.CODEC, types.boxed(constant.type()));
            FieldSpec.Builder field = FieldSpec.builder(codecType, constant.name(), modifiers)
                    .addModifiers(Modifier.STATIC, Modifier.FINAL)
                    .initializer("$Z$L", inline(constant.type()));
            if (needsGenericArray(constant.type())) {
                field.addAnnotation(AnnotationSpec.builder(RuntimeTypes.SUPPRESS_WARNINGS)
                        .addMember("value", "$S", "unchecked").build());
            }
            fields.add(field.build());
        }
        return fields;
    }

    private CodeBlock simpleCodec(TypeRef type) {
        if (type instanceof TypeRef.Primitive primitive) {
            return CodeBlock.of("$T.$N", RuntimeTypes.CODECS, primitive.type().name());
        }
        if (type instanceof TypeRef.Declared declared) {
            return CodeBlock.of("$T.CODEC", Names.codec(index.resolve(declared)));
        }
        if (type instanceof TypeRef.Unit) {
            return CodeBlock.of("$T.UNIT", RuntimeTypes.CODECS);
        }
        throw new IllegalArgumentException("no codec for " + type.toIdl());
    }

    /** The expression that builds the codec of {@code type}, composite elements inline. */
    private CodeBlock inline(TypeRef type) {
        if (type instanceof TypeRef.OptionOf option) {
            return CodeBlock.of("$T.option($L)", RuntimeTypes.CODECS, inline(option.element()));
        }
        if (type instanceof TypeRef.ListOf list) {
            return CodeBlock.of("$T.list($L)", RuntimeTypes.CODECS, inline(list.element()));
        }
        if (type instanceof TypeRef.MapOf map) {
            return CodeBlock.of("$T.map($L,$W$L)", RuntimeTypes.CODECS, inline(map.key()), inline(map.value()));
        }
        if (type instanceof TypeRef.ArrayOf array) {
            return array(array);
        }
        return simpleCodec(type);
    }

    private CodeBlock array(TypeRef.ArrayOf array) {
        int n = array.length();
        if (array.element() instanceof TypeRef.Primitive primitive) {
            switch (primitive.type()) {
                case I8, U8:
                    return CodeBlock.of("$T.byteArray($L)", RuntimeTypes.CODECS, n);
                case BOOL:
                    return CodeBlock.of("$T.boolArray($L)", RuntimeTypes.CODECS, n);
                case I16, U16:
                    return CodeBlock.of("$T.shortArray($L, $L)", RuntimeTypes.CODECS, n,
                            primitive.type() == PrimitiveType.I16);
                case I32, U32, CHAR:
                    return CodeBlock.of("$T.intArray($L, $T.$N)", RuntimeTypes.CODECS, n, RuntimeTypes.INT_KIND,
                            primitive.type().name());
                case I64, U64:
                    return CodeBlock.of("$T.longArray($L, $L)", RuntimeTypes.CODECS, n,
                            primitive.type() == PrimitiveType.I64);
                case F32:
                    return CodeBlock.of("$T.floatArray($L)", RuntimeTypes.CODECS, n);
                case F64:
                    return CodeBlock.of("$T.doubleArray($L)", RuntimeTypes.CODECS, n);
                default:
                    break;
            }
        }
        TypeName element = types.plain(array.element());
        CodeBlock newArray;
        if (needsGenericArray(array)) {
            // new List<String>[n] is not Java; an array of the wildcard type, cast, is the usual idiom.
            newArray = CodeBlock.of("size -> ($T) new $L[size]$L", ArrayTypeName.of(element), wildcard(element),
                    "[]".repeat(dimensions(element)));
        } else {
            newArray = CodeBlock.of("$T[]::new", element);
        }
        return CodeBlock.of("$T.array($L,$W$L,$W$L)", RuntimeTypes.CODECS, inline(array.element()), n, newArray);
    }

    /** Whether {@code type} is an array whose innermost element type is generic. */
    private static boolean needsGenericArray(TypeRef type) {
        if (!(type instanceof TypeRef.ArrayOf)) {
            return false;
        }
        TypeRef leaf = type;
        while (leaf instanceof TypeRef.ArrayOf array) {
            leaf = array.element();
        }
        return leaf instanceof TypeRef.OptionOf || leaf instanceof TypeRef.ListOf || leaf instanceof TypeRef.MapOf;
    }

    /** {@code List<?>} for {@code List<String>}, through arrays: the creatable form of a generic array element. */
    private static CodeBlock wildcard(TypeName element) {
        TypeName leaf = element;
        while (leaf instanceof ArrayTypeName array) {
            leaf = array.componentType();
        }
        ClassName raw = ((ParameterizedTypeName) leaf).rawType();
        String wildcards = ((ParameterizedTypeName) leaf).typeArguments().size() == 1 ? "<?>" : "<?, ?>";
        return CodeBlock.of("$T$L", raw, wildcards);
    }

    private static int dimensions(TypeName type) {
        int n = 0;
        for (TypeName t = type; t instanceof ArrayTypeName array; t = array.componentType()) {
            n++;
        }
        return n;
    }

    /** The type spelled out with qualified declared names, so that equal types share a constant. */
    private static String key(TypeRef type) {
        if (type instanceof TypeRef.Declared declared) {
            return declared.name().qualifiedName();
        }
        if (type instanceof TypeRef.OptionOf option) {
            return "option<" + key(option.element()) + ">";
        }
        if (type instanceof TypeRef.ListOf list) {
            return "list<" + key(list.element()) + ">";
        }
        if (type instanceof TypeRef.MapOf map) {
            return "map<" + key(map.key()) + "," + key(map.value()) + ">";
        }
        if (type instanceof TypeRef.ArrayOf array) {
            return "[" + key(array.element()) + ";" + array.length() + "]";
        }
        return type.toIdl();
    }

    /** {@code list<option<string>>} to {@code LIST_OPTION_STRING}, {@code [u8; 4]} to {@code ARRAY_U8_4}. */
    private static String constantWords(TypeRef type) {
        if (type instanceof TypeRef.Primitive primitive) {
            return primitive.type().name();
        }
        if (type instanceof TypeRef.Declared declared) {
            return JavaNames.upperSnakeCase(declared.name().simpleName()).toUpperCase(Locale.ROOT);
        }
        if (type instanceof TypeRef.OptionOf option) {
            return "OPTION_" + constantWords(option.element());
        }
        if (type instanceof TypeRef.ListOf list) {
            return "LIST_" + constantWords(list.element());
        }
        if (type instanceof TypeRef.MapOf map) {
            return "MAP_" + constantWords(map.key()) + "_" + constantWords(map.value());
        }
        if (type instanceof TypeRef.ArrayOf array) {
            return "ARRAY_" + constantWords(array.element()) + "_" + array.length();
        }
        return "UNIT";
    }
}
