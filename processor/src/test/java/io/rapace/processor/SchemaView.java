package io.rapace.processor;

import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.Parameter;
import io.rapace.idl.model.Parameters;
import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.model.TypeRef;
import io.rapace.idl.model.Variant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A schema as text, showing everything that reaches the wire or the registry (names as written, schema packages,
 * docs, ids and whether they were explicit, kinds, type structure, variant indices) and nothing else: no positions,
 * no Java names. Two front ends agree when their views are equal, and a difference reads as a text diff.
 */
final class SchemaView {

    private SchemaView() {
    }

    static String of(Schema schema) {
        StringBuilder out = new StringBuilder();
        for (TypeDecl type : schema.types()) {
            out.append(type instanceof StructDecl ? "struct " : "enum ").append(type.name().qualifiedName())
                    .append(" doc=").append(quote(type.doc())).append('\n');
            if (type instanceof StructDecl struct) {
                fields(out, "  ", struct.fields());
            } else if (type instanceof EnumDecl enumDecl) {
                for (Variant variant : enumDecl.variants()) {
                    out.append("  variant ").append(variant.index()).append(' ').append(variant.name())
                            .append(variant.unit() ? " unit" : " fields").append(" doc=").append(quote(variant.doc()))
                            .append('\n');
                    fields(out, "    ", variant.fields());
                }
            }
        }
        for (Service service : schema.services()) {
            out.append("service ").append(service.identifier()).append(" name=").append(service.name())
                    .append(" package=").append(service.packageName()).append(" version=").append(service.version())
                    .append(" doc=").append(quote(service.doc())).append('\n');
            for (Method method : service.methods()) {
                out.append("  ").append(method.kind()).append(' ').append(method.name()).append(" id=")
                        .append(Integer.toUnsignedString(method.id())).append(method.explicitId() ? " explicit" : "")
                        .append(" request=").append(type(method.requestType()));
                if (method.parameters() instanceof Parameters.Named named) {
                    out.append(" names=");
                    for (Parameter parameter : named.parameters()) {
                        out.append(parameter.name()).append(',');
                    }
                }
                out.append(" response=").append(type(method.responseType())).append(" doc=")
                        .append(quote(method.doc())).append('\n');
            }
        }
        return out.toString();
    }

    /** The types of {@code schema} that {@code service} reaches, in schema order. */
    static List<TypeDecl> reachable(Schema schema, Service service) {
        Set<TypeDecl> seen = new LinkedHashSet<>();
        List<TypeRef> work = new ArrayList<>();
        for (Method method : service.methods()) {
            work.add(method.requestType());
            work.add(method.responseType());
        }
        while (!work.isEmpty()) {
            TypeRef type = work.remove(work.size() - 1);
            if (type instanceof TypeRef.Declared declared) {
                TypeDecl decl = schema.resolve(declared);
                if (seen.add(decl)) {
                    if (decl instanceof StructDecl struct) {
                        struct.fields().forEach(f -> work.add(f.type()));
                    } else if (decl instanceof EnumDecl enumDecl) {
                        enumDecl.variants().forEach(v -> v.fields().forEach(f -> work.add(f.type())));
                    }
                }
            } else if (type instanceof TypeRef.OptionOf option) {
                work.add(option.element());
            } else if (type instanceof TypeRef.ListOf list) {
                work.add(list.element());
            } else if (type instanceof TypeRef.ArrayOf array) {
                work.add(array.element());
            } else if (type instanceof TypeRef.MapOf map) {
                work.add(map.key());
                work.add(map.value());
            } else if (type instanceof TypeRef.Tuple tuple) {
                work.addAll(tuple.elements());
            }
        }
        List<TypeDecl> ordered = new ArrayList<>();
        for (TypeDecl type : schema.types()) {
            if (seen.contains(type)) {
                ordered.add(type);
            }
        }
        return ordered;
    }

    private static void fields(StringBuilder out, String indent, List<Field> fields) {
        for (Field field : fields) {
            out.append(indent).append(field.name()).append(": ").append(type(field.type())).append(" doc=")
                    .append(quote(field.doc())).append('\n');
        }
    }

    /** The structure of a type; declared types by their qualified schema name. */
    private static String type(TypeRef type) {
        if (type instanceof TypeRef.Declared declared) {
            return declared.name().qualifiedName();
        } else if (type instanceof TypeRef.OptionOf option) {
            return "option<" + type(option.element()) + ">";
        } else if (type instanceof TypeRef.ListOf list) {
            return "list<" + type(list.element()) + ">";
        } else if (type instanceof TypeRef.MapOf map) {
            return "map<" + type(map.key()) + ", " + type(map.value()) + ">";
        } else if (type instanceof TypeRef.ArrayOf array) {
            return "[" + type(array.element()) + "; " + array.length() + "]";
        } else if (type instanceof TypeRef.Tuple tuple) {
            List<String> parts = new ArrayList<>();
            tuple.elements().forEach(e -> parts.add(type(e)));
            return "(" + String.join(", ", parts) + ")";
        }
        return type.toIdl();
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + '"';
    }
}
