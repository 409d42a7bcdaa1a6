package io.rapace.idl.parse;

import io.rapace.annotation.MethodKind;
import io.rapace.idl.model.PrimitiveType;
import java.util.List;

/**
 * The syntax tree of one file, as the parser recovered it: offsets instead of positions, names not yet resolved,
 * and {@link BrokenType} where a type had a syntax error (so that the checks after parsing do not report it again).
 */
final class Ast {

    private Ast() {
    }

    /** A name as written (possibly dotted, as in {@code Logger.log} or a package) and the offset of its start. */
    record Name(String text, int offset) {
    }

    /** The {@code ///} lines before an item, joined with {@code \n}, and the offset of the first. */
    record Docs(String text, int offset) {
        static final Docs NONE = new Docs("", -1);

        boolean isPresent() {
            return offset >= 0;
        }
    }

    /** A parsed file. {@code packageName} is {@code null} when the file has no package declaration. */
    record File(Source source, Name packageName, List<Import> imports, List<Declaration> declarations) {
        String packageText() {
            return packageName == null ? "" : packageName.text();
        }
    }

    /** {@code import "path";}: the path as decoded, the offset of its string, and whether it had no bad escape. */
    record Import(String path, int offset, boolean valid) {
    }

    /** A type or a service, in source order. */
    sealed interface Declaration permits TypeDef, ServiceDef {
        Name name();

        String doc();
    }

    /** A struct or an enum. */
    sealed interface TypeDef extends Declaration permits StructDef, EnumDef {
    }

    /** A struct; {@code broken} when only its name could be read (the error is reported). */
    record StructDef(Name name, String doc, List<FieldDef> fields, boolean broken) implements TypeDef {
    }

    /** An enum; {@code broken} when only its name could be read (the error is reported). */
    record EnumDef(Name name, String doc, List<VariantDef> variants, boolean broken) implements TypeDef {
    }

    /** A variant; {@code broken} when it had an error (a tuple-like variant) already reported. */
    record VariantDef(Name name, String doc, boolean unit, List<FieldDef> fields, boolean broken) {
    }

    record FieldDef(Name name, String doc, Type type) {
    }

    /** A service; {@code serviceName} and {@code version} are {@code null} when not written. */
    record ServiceDef(Name name, String doc, Literal serviceName, Literal version, List<MethodDef> methods)
            implements Declaration {
    }

    /** A string or version literal: its value, where it starts, and whether it had no bad escape. */
    record Literal(String value, int offset, boolean valid) {
    }

    /**
     * A method. {@code kind} is {@code null} when it was unknown or missing (already reported); {@code result} is
     * {@code null} when none was written; {@code id} is {@code null} for the default id.
     */
    record MethodDef(int offset, MethodKind kind, Name name, Params params, Type result, IdLiteral id, String doc) {
    }

    /** A method id as written; {@code value} is {@link Token#TOO_LARGE} when it does not fit in a long. */
    record IdLiteral(long value, String text, int offset) {
    }

    /** What a method takes. */
    sealed interface Params permits NoParams, SingleParam, NamedParams, BrokenParams {
    }

    /** {@code ()} or {@code (())}. */
    record NoParams(int offset) implements Params {
    }

    /** {@code (T)}. */
    record SingleParam(Type type) implements Params {
    }

    /** {@code (a: T, b: U)}. */
    record NamedParams(List<ParamDef> params) implements Params {
    }

    /** Parameters with an error already reported (several unnamed types, or named and unnamed mixed). */
    record BrokenParams(List<ParamDef> named, List<Type> unnamed) implements Params {
    }

    record ParamDef(Name name, Type type) {
    }

    /** A use of a type. */
    sealed interface Type permits Builtin, OptionType, ListType, MapType, ArrayType, NamedType, UnitType, BrokenType {
        int offset();
    }

    record Builtin(PrimitiveType type, int offset) implements Type {
    }

    record OptionType(Type element, int offset) implements Type {
    }

    record ListType(Type element, int offset) implements Type {
    }

    record MapType(Type key, Type value, int offset) implements Type {
    }

    record ArrayType(Type element, int length, int offset) implements Type {
    }

    record NamedType(Name name) implements Type {
        @Override
        public int offset() {
            return name.offset();
        }
    }

    record UnitType(int offset) implements Type {
    }

    /** A type with a syntax error, already reported. */
    record BrokenType(int offset) implements Type {
    }

    /** A type as the IDL spells it, for messages. */
    static String render(Type type) {
        if (type instanceof Builtin builtin) {
            return builtin.type().idlName();
        } else if (type instanceof OptionType option) {
            return "option<" + render(option.element()) + ">";
        } else if (type instanceof ListType list) {
            return "list<" + render(list.element()) + ">";
        } else if (type instanceof MapType map) {
            return "map<" + render(map.key()) + ", " + render(map.value()) + ">";
        } else if (type instanceof ArrayType array) {
            return "[" + render(array.element()) + "; " + array.length() + "]";
        } else if (type instanceof NamedType named) {
            return named.name().text();
        } else if (type instanceof UnitType) {
            return "()";
        }
        return "?";
    }
}
