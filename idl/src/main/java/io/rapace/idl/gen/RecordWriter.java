package io.rapace.idl.gen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.rapace.idl.model.PrimitiveType;
import io.rapace.idl.model.TypeRef;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Records: a struct, a variant of a data enum, or the named parameters of a method. A record whose components
 * include an array gets {@code equals}, {@code hashCode} and {@code toString} that compare and print the arrays by
 * content ({@code Arrays.equals}, or {@code Arrays.deepEquals} for arrays of objects and arrays of arrays), as the
 * record's own would for every other component. Arrays nested in an option, a list or a map go through the runtime's
 * {@code Values.deepEquals}, {@code deepHashCode} and {@code deepToString}. A record without arrays keeps the
 * record's own methods.
 */
final class RecordWriter {

    /** A record component: its Java name, its schema type and its documentation. */
    record Component(String name, TypeRef type, String doc) {
    }

    private final SchemaIndex index;
    private final JavaTypes types;

    RecordWriter(SchemaIndex index, JavaTypes types) {
        this.index = index;
        this.types = types;
    }

    /**
     * A record named {@code name} with {@code components}, not yet built; {@code javadoc} is Javadoc text already
     * (see {@link Docs#escape}), the components' {@code @param} lines follow it.
     */
    TypeSpec.Builder record(ClassName name, List<Component> components, String javadoc) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        List<Docs.Param> params = new ArrayList<>();
        for (Component component : components) {
            constructor.addParameter(types.parameter(component.type(), component.name()));
            params.add(new Docs.Param(component.name(), component.doc()));
        }
        TypeSpec.Builder record = TypeSpec.recordBuilder(name).recordConstructor(constructor.build())
                .addJavadoc(Docs.javadocOf(javadoc, params))
                .alwaysQualify(index.obscuring(components.stream().map(Component::name).toList()));
        if (components.stream().anyMatch(c -> holdsArray(c.type()))) {
            record.addMethod(equalsMethod(name, components));
            record.addMethod(hashCodeMethod(components));
            record.addMethod(toStringMethod(name, components));
        }
        return record;
    }

    /** Whether values of {@code type} hold a Java array, directly or inside an option, a list or a map. */
    private static boolean holdsArray(TypeRef type) {
        if (type instanceof TypeRef.Primitive primitive) {
            return primitive.type() == PrimitiveType.BYTES;
        } else if (type instanceof TypeRef.ArrayOf) {
            return true;
        } else if (type instanceof TypeRef.OptionOf option) {
            return holdsArray(option.element());
        } else if (type instanceof TypeRef.ListOf list) {
            return holdsArray(list.element());
        } else if (type instanceof TypeRef.MapOf map) {
            return holdsArray(map.key()) || holdsArray(map.value());
        }
        return false;
    }

    /**
     * Whether a component needs {@code Values}: it holds an array inside an option, a list or a map, at any depth
     * (also inside a fixed array of such containers). A plain array, or an array of arrays, keeps {@code Arrays}.
     */
    private static boolean nestsArray(Component component) {
        TypeRef type = component.type();
        while (type instanceof TypeRef.ArrayOf array) {
            type = array.element();
        }
        return !(type instanceof TypeRef.Primitive) && holdsArray(type);
    }

    private MethodSpec equalsMethod(ClassName name, List<Component> components) {
        String other = "other";
        String that = "that";
        CodeBlock.Builder test = CodeBlock.builder().add("return $N instanceof $T $N", other, name, that);
        for (Component component : components) {
            String own = component.name().equals(other) || component.name().equals(that)
                    ? "this." + component.name() : component.name();
            String theirs = that + "." + component.name();
            TypeName type = types.plain(component.type());
            test.add("$W&& ");
            if (nestsArray(component)) {
                test.add("$T.deepEquals($L, $L)", RuntimeTypes.VALUES, own, theirs);
            } else if (type instanceof ArrayTypeName array) {
                test.add("$T.$L($L, $L)", RuntimeTypes.ARRAYS, array.componentType().isPrimitive() ? "equals"
                        : "deepEquals", own, theirs);
            } else if (type.equals(TypeName.FLOAT)) {
                test.add("$T.compare($L, $L) == 0", RuntimeTypes.FLOAT, own, theirs);
            } else if (type.equals(TypeName.DOUBLE)) {
                test.add("$T.compare($L, $L) == 0", RuntimeTypes.DOUBLE, own, theirs);
            } else if (type.isPrimitive()) {
                test.add("$L == $L", own, theirs);
            } else {
                test.add("$T.equals($L, $L)", RuntimeTypes.OBJECTS, own, theirs);
            }
        }
        return MethodSpec.methodBuilder("equals")
                .addAnnotation(RuntimeTypes.OVERRIDE)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addParameter(RuntimeTypes.OBJECT, other)
                .addStatement(test.build())
                .build();
    }

    private MethodSpec hashCodeMethod(List<Component> components) {
        List<CodeBlock> hashes = new ArrayList<>();
        for (Component component : components) {
            hashes.add(hash(component));
        }
        CodeBlock body = hashes.size() == 1 ? hashes.get(0)
                : CodeBlock.of("$T.hash($L)", RuntimeTypes.OBJECTS, CodeBlock.join(hashes, ",$W"));
        return MethodSpec.methodBuilder("hashCode")
                .addAnnotation(RuntimeTypes.OVERRIDE)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.INT)
                .addStatement("return $L", body)
                .build();
    }

    private CodeBlock hash(Component component) {
        if (nestsArray(component)) {
            return CodeBlock.of("$T.deepHashCode($N)", RuntimeTypes.VALUES, component.name());
        }
        if (types.plain(component.type()) instanceof ArrayTypeName array) {
            return CodeBlock.of("$T.$L($N)", RuntimeTypes.ARRAYS, array.componentType().isPrimitive() ? "hashCode"
                    : "deepHashCode", component.name());
        }
        return CodeBlock.of("$N", component.name());
    }

    private MethodSpec toStringMethod(ClassName name, List<Component> components) {
        CodeBlock.Builder text = CodeBlock.builder();
        String separator = name.simpleName() + "[";
        for (Component component : components) {
            CodeBlock value;
            if (nestsArray(component)) {
                value = CodeBlock.of("$T.deepToString($N)", RuntimeTypes.VALUES, component.name());
            } else if (types.plain(component.type()) instanceof ArrayTypeName array) {
                value = CodeBlock.of("$T.$L($N)", RuntimeTypes.ARRAYS, array.componentType().isPrimitive()
                        ? "toString" : "deepToString", component.name());
            } else {
                value = CodeBlock.of("$N", component.name());
            }
            text.add(text.isEmpty() ? "$S + $L" : "$W+ $S + $L", separator + component.name() + "=", value);
            separator = ", ";
        }
        text.add("$W+ $S", "]");
        return MethodSpec.methodBuilder("toString")
                .addAnnotation(RuntimeTypes.OVERRIDE)
                .addModifiers(Modifier.PUBLIC)
                .returns(RuntimeTypes.STRING)
                .addStatement("return $L", text.build())
                .build();
    }
}
