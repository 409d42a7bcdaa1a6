package io.rapace.idl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.annotation.MethodKind;
import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.JavaClassName;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.MethodIds;
import io.rapace.idl.model.Parameter;
import io.rapace.idl.model.Parameters;
import io.rapace.idl.model.PrimitiveType;
import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.SourcePosition;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.model.TypeName;
import io.rapace.idl.model.TypeRef;
import io.rapace.idl.model.Variant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a valid file becomes in the model. */
class IdlParserTest {

    private static Schema parse(String text) {
        return IdlParser.parse("t.rapace", text).schemaOrThrow();
    }

    private static TypeDecl type(Schema schema, String simpleName) {
        return schema.types().stream().filter(t -> t.name().simpleName().equals(simpleName)).findFirst()
                .orElseThrow();
    }

    private static Method method(Service service, String name) {
        return service.methods().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> fieldTypes(StructDecl struct) {
        return struct.fields().stream().map(f -> f.name() + ": " + f.type().toIdl()).collect(Collectors.toList());
    }

    @Test
    void parsesTheHostExampleOfTheDesign() {
        ParseResult result = IdlParser.parse("host.rapace", Samples.HOST);
        assertTrue(result.succeeded(), result::formattedDiagnostics);
        assertEquals(List.of("host.rapace"), result.files());
        Schema schema = result.schemaOrThrow();
        assertEquals(List.of("LogLevel", "LogRequest", "GetRequest", "GetResponse", "SetRequest", "HostEvent"),
                schema.types().stream().map(t -> t.name().simpleName()).collect(Collectors.toList()));

        EnumDecl level = (EnumDecl) type(schema, "LogLevel");
        assertEquals(new TypeName("io.rapace.samples.host", "LogLevel"), level.name());
        assertEquals(JavaClassName.of("io.rapace.samples.host", "LogLevel"), level.javaName());
        assertEquals("Doc comments (///) flow into the generated Javadoc and into the registry.", level.doc());
        assertEquals(new SourcePosition("host.rapace", 5, 6), level.position());
        assertTrue(level.isUnitOnly());
        assertEquals(List.of("Trace 0 TRACE", "Debug 1 DEBUG", "Info 2 INFO", "Warn 3 WARN", "Error 4 ERROR"),
                level.variants().stream().map(v -> v.name() + " " + v.index() + " " + v.javaConstant())
                        .collect(Collectors.toList()));

        StructDecl logRequest = (StructDecl) type(schema, "LogRequest");
        assertEquals(List.of("level: LogLevel", "message: string"), fieldTypes(logRequest));
        assertSame(level, schema.resolve((TypeRef.Declared) logRequest.fields().get(0).type()));
        assertEquals(new TypeRef.Primitive(PrimitiveType.STRING, new SourcePosition("host.rapace", 7, 47)),
                logRequest.fields().get(1).type());
        assertEquals(List.of("value: option<bytes>"), fieldTypes((StructDecl) type(schema, "GetResponse")));
        assertEquals(List.of("key: string", "value: bytes"), fieldTypes((StructDecl) type(schema, "SetRequest")));

        EnumDecl event = (EnumDecl) type(schema, "HostEvent");
        assertFalse(event.isUnitOnly());
        Variant loaded = event.variants().get(0);
        assertEquals("PluginLoaded", loaded.name());
        assertEquals(JavaClassName.of("io.rapace.samples.host", "HostEvent", "PluginLoaded"), loaded.javaClass());
        Field pluginId = loaded.fields().get(0);
        assertEquals("plugin_id", pluginId.name());
        assertEquals("pluginId", pluginId.javaName());
        assertEquals(List.of("key", "value"), event.variants().get(2).fields().stream().map(Field::name)
                .collect(Collectors.toList()));
        Variant shutdown = event.variants().get(3);
        assertEquals("Shutdown", shutdown.name());
        assertEquals(3, shutdown.index());
        assertTrue(shutdown.unit());

        Service service = schema.services().get(0);
        assertEquals("HostServices", service.identifier());
        assertEquals("rapace.HostServices", service.name());
        assertEquals("1.0", service.version());
        assertEquals("io.rapace.samples.host", service.packageName());
        assertEquals(JavaClassName.of("io.rapace.samples.host", "HostServices"), service.javaName());
        assertEquals(List.of(
                        "Logger.log loggerLog 1000 UNARY LogRequest -> ()",
                        "Storage.get storageGet 1001 UNARY GetRequest -> GetResponse",
                        "Storage.set storageSet 1002 UNARY SetRequest -> ()",
                        "Events.subscribe eventsSubscribe 1003 SERVER_STREAMING () -> HostEvent"),
                service.methods().stream().map(m -> m.name() + " " + m.javaName() + " " + m.id() + " " + m.kind()
                        + " " + m.requestType().toIdl() + " -> " + m.responseType().toIdl())
                        .collect(Collectors.toList()));
        assertTrue(service.methods().stream().allMatch(Method::explicitId));
        Method log = method(service, "Logger.log");
        assertEquals(new SourcePosition("host.rapace", 20, 5), log.position());
        assertEquals("request", ((Parameters.Single) log.parameters()).javaName());
        assertInstanceOf(Parameters.None.class, method(service, "Events.subscribe").parameters());
    }

    @Test
    void defaultIdsHashTheServiceIdentifierAndTheMethodNameAsWritten() {
        Schema schema = parse("""
                package calc;
                service Calculator "the.Calculator" { unary add(a: i64, b: i64) -> i64; }
                service Echo { unary echo(string) -> string; }
                service Toolbox "tools.Box" { unary Files.open(string) -> u64; }
                """);
        Method add = schema.services().get(0).methods().get(0);
        assertEquals(0x193FA158, add.id());
        assertFalse(add.explicitId());
        assertEquals(0x3E895C50, schema.services().get(1).methods().get(0).id());
        Method open = schema.services().get(2).methods().get(0);
        assertEquals(MethodIds.defaultMethodId("Toolbox", "Files.open"), open.id());
        assertNotEquals(MethodIds.defaultMethodId("tools.Box", "Files.open"), open.id());
        assertEquals("filesOpen", open.javaName());
    }

    @Test
    void explicitIdsAreDecimalOrHexAndFillTheUnsigned32BitRange() {
        Service service = parse("""
                package p;
                service S { unary a() = 1000; unary b() = 0x3E9; unary c() = 0xFFFFFFFF; unary d() = 4294967294; }
                """).services().get(0);
        assertEquals(List.of(1000, 1001, -1, -2), service.methods().stream().map(Method::id)
                .collect(Collectors.toList()));
        assertEquals(4294967295L, service.methods().get(2).unsignedId());
    }

    @Test
    void serviceNameDefaultsToPackageDotIdentifierAndVersionTo1Dot0() {
        Service service = parse("package a.b; service Echo {}").services().get(0);
        assertEquals("a.b.Echo", service.name());
        assertEquals("1.0", service.version());
        Service named = parse("package a.b; service Echo \"x.Y\" version 12.30 {}").services().get(0);
        assertEquals("x.Y", named.name());
        assertEquals("12.30", named.version());
        assertEquals("r\u00e9p", parse("package a; service S \"r\\u{e9}p\" {}").services().get(0).name());
        assertEquals("1.0", parse("package a; service S version 1.0 {}").services().get(0).version());
    }

    @Test
    void methodsTakeNothingOneTypeOrNamedParameters() {
        Service service = parse("""
                package p;
                service S {
                    unary none();
                    unary unit(()) -> ();
                    unary one(list<u8>) -> u8;
                    unary named(plugin_id: string, count: u32,) -> bool;
                }
                """).services().get(0);
        Method none = method(service, "none");
        assertInstanceOf(Parameters.None.class, none.parameters());
        assertInstanceOf(TypeRef.Unit.class, none.requestType());
        assertInstanceOf(TypeRef.Unit.class, none.responseType());
        Method unit = method(service, "unit");
        assertInstanceOf(Parameters.None.class, unit.parameters());
        assertInstanceOf(TypeRef.Unit.class, unit.responseType());
        assertEquals("list<u8>", method(service, "one").requestType().toIdl());
        Method named = method(service, "named");
        List<Parameter> parameters = ((Parameters.Named) named.parameters()).parameters();
        assertEquals(List.of("plugin_id pluginId string", "count count u32"), parameters.stream()
                .map(p -> p.name() + " " + p.javaName() + " " + p.type().toIdl()).collect(Collectors.toList()));
        assertEquals("(string, u32)", named.requestType().toIdl());
        assertInstanceOf(TypeRef.Tuple.class, named.requestType());
    }

    @Test
    void mapsEveryTypeOfTheDesign() {
        Schema schema = IdlParser.parse("everything.rapace", Samples.EVERYTHING).schemaOrThrow();
        StructDecl scalars = (StructDecl) type(schema, "Scalars");
        assertEquals(List.of(PrimitiveType.BOOL, PrimitiveType.I8, PrimitiveType.I16, PrimitiveType.I32,
                        PrimitiveType.I64, PrimitiveType.I128, PrimitiveType.U8, PrimitiveType.U16, PrimitiveType.U32,
                        PrimitiveType.U64, PrimitiveType.U128, PrimitiveType.F32, PrimitiveType.F64,
                        PrimitiveType.CHAR, PrimitiveType.STRING, PrimitiveType.BYTES),
                scalars.fields().stream().map(f -> ((TypeRef.Primitive) f.type()).type())
                        .collect(Collectors.toList()));
        assertEquals("A flag.", scalars.fields().get(0).doc());
        assertTrue(((StructDecl) type(schema, "Empty")).fields().isEmpty());
        assertEquals(List.of("maybe: option<list<map<string, [u8; 4]>>>", "matrix: [[f64; 3]; 3]",
                        "by_level: map<Level, Scalars>", "by_char: map<char, bool>", "tree: option<Tree>"),
                fieldTypes((StructDecl) type(schema, "Generic")));
        TypeRef.ArrayOf matrix = (TypeRef.ArrayOf) ((StructDecl) type(schema, "Generic")).fields().get(1).type();
        assertEquals(3, matrix.length());
        assertEquals(List.of("children: list<Tree>", "shape: Shape"), fieldTypes((StructDecl) type(schema, "Tree")));

        EnumDecl shape = (EnumDecl) type(schema, "Shape");
        assertEquals(List.of("Circle false 1", "Poly false 1", "Nothing false 0", "Point true 0"),
                shape.variants().stream().map(v -> v.name() + " " + v.unit() + " " + v.fields().size())
                        .collect(Collectors.toList()));
        assertEquals("No sides.", shape.variants().get(0).doc());
        assertTrue(((EnumDecl) type(schema, "Level")).isUnitOnly());

        Service toolbox = schema.services().get(0);
        assertEquals("tools.Box", toolbox.name());
        assertEquals("2.15", toolbox.version());
        assertEquals("Opens a file.", method(toolbox, "Files.open").doc());
        assertEquals(List.of(MethodKind.UNARY, MethodKind.UNARY, MethodKind.UNARY, MethodKind.UNARY,
                        MethodKind.CLIENT_STREAMING, MethodKind.SERVER_STREAMING, MethodKind.BIDI_STREAMING),
                toolbox.methods().stream().map(Method::kind).collect(Collectors.toList()));
        assertEquals("bytes -> u64", method(toolbox, "upload").requestType().toIdl() + " -> "
                + method(toolbox, "upload").responseType().toIdl());
    }

    @Test
    void keywordsMayNameFieldsVariantsAndMethodsAndJavaNamesGetAnUnderscore() {
        Schema schema = parse("""
                package com.int.x;
                struct Keywords { struct: u32, service: u32, string: u32, class: u32, to_string: u8, type: u8 }
                enum Unit { struct, unary, class }
                enum Data { class { a: u8 }, Other }
                struct record { hash_code: u8 }
                service Svc { unary unary(); unary Get.class(); unary wait(); }
                """);
        StructDecl keywords = (StructDecl) type(schema, "Keywords");
        assertEquals(List.of("struct", "service", "string", "class_", "toString_", "type"),
                keywords.fields().stream().map(Field::javaName).collect(Collectors.toList()));
        assertEquals(new TypeName("com.int.x", "Keywords"), keywords.name());
        assertEquals("com.int_.x", keywords.javaName().packageName());
        assertEquals(List.of("STRUCT", "UNARY", "CLASS"), ((EnumDecl) type(schema, "Unit")).variants().stream()
                .map(Variant::javaConstant).collect(Collectors.toList()));
        assertEquals(JavaClassName.of("com.int_.x", "Data", "class_"),
                ((EnumDecl) type(schema, "Data")).variants().get(0).javaClass());
        StructDecl record = (StructDecl) type(schema, "record");
        assertEquals("record_", record.javaName().simpleName());
        assertEquals("hashCode_", record.fields().get(0).javaName());
        assertEquals(List.of("unary", "getClass_", "wait_"), schema.services().get(0).methods().stream()
                .map(Method::javaName).collect(Collectors.toList()));
    }

    @Test
    void typesMayShadowJavaLangNames() {
        Schema schema = parse("package p; struct String { s: string } struct Object { o: String, l: List } "
                + "struct List {}");
        assertEquals(JavaClassName.of("p", "String"), type(schema, "String").javaName());
        assertEquals(List.of("o: String", "l: List"), fieldTypes((StructDecl) type(schema, "Object")));
    }

    @Test
    void scopesVariantAndFieldNamesToTheirEnumOrStruct() {
        Schema schema = parse("package p; enum A { X, Y } enum B { X { x: u8 }, Y { x: u8 } } struct C { x: u8 }");
        assertEquals(List.of("X", "Y"), ((EnumDecl) type(schema, "B")).variants().stream().map(Variant::name)
                .collect(Collectors.toList()));
    }

    @Test
    void docCommentsDocumentEveryItem() {
        Schema schema = parse("""
                package p;
                /// A struct,
                ///   on two lines.
                ///
                /// With a gap.
                struct S {
                    /// A field.
                    a: u8,
                    //// Four slashes: a plain comment.
                    b: u8,
                }
                /// An enum.
                enum E {
                    ///A variant.
                    V { /// A variant's field.
                        x: u8 },
                }
                /// A service.
                service Svc {
                    /// A method. */ cannot end anything here.
                    unary m();
                }
                """);
        StructDecl struct = (StructDecl) type(schema, "S");
        assertEquals("A struct,\n  on two lines.\n\nWith a gap.", struct.doc());
        assertEquals("A field.", struct.fields().get(0).doc());
        assertEquals("", struct.fields().get(1).doc());
        EnumDecl enumeration = (EnumDecl) type(schema, "E");
        assertEquals("An enum.", enumeration.doc());
        assertEquals("A variant.", enumeration.variants().get(0).doc());
        assertEquals("A variant's field.", enumeration.variants().get(0).fields().get(0).doc());
        Service service = schema.services().get(0);
        assertEquals("A service.", service.doc());
        assertEquals("A method. */ cannot end anything here.", service.methods().get(0).doc());
    }

    @Test
    void acceptsForwardReferencesRecursionThroughContainersAndTrailingCommas() {
        Schema schema = parse("""
                package p;
                service S { unary get(Later,) -> Tree; }
                struct Later { tree: Tree, }
                struct Tree { children: list<Tree>, parent: option<Tree>, index: map<string, Tree>, }
                enum Expr { Literal { value: i64 }, Sum { left: Expr, right: Expr }, }
                struct Holder { expr: Expr, pair: [Expr; 2] }
                """);
        assertEquals(4, schema.types().size());
        assertEquals("Later", schema.services().get(0).methods().get(0).requestType().toIdl());
    }

    @Test
    void readsFilesFromDiskAndFollowsRelativeImports(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir.resolve("api/common"));
        java.nio.file.Files.writeString(dir.resolve("api/main.rapace"),
                "package app;\nimport \"common/types.rapace\";\nservice App { unary get(Id) -> Id = 1; }\n");
        java.nio.file.Files.writeString(dir.resolve("api/common/types.rapace"),
                "package app.common;\nstruct Id { value: u64 }\n");
        ParseResult result = IdlParser.parse(dir.resolve("api/main.rapace"));
        assertTrue(result.succeeded(), result::formattedDiagnostics);
        String types = dir.resolve("api/common/types.rapace").toString();
        assertEquals(List.of(dir.resolve("api/main.rapace").toString(), types), result.files());
        TypeDecl id = result.schemaOrThrow().types().get(0);
        assertEquals(new TypeName("app.common", "Id"), id.name());
        assertEquals(new SourcePosition(types, 2, 8), id.position());
    }

    @Test
    void schemaOrThrowCarriesEveryDiagnostic() {
        ParseResult result = IdlParser.parse("t.rapace", "package p; struct A { a: Nope }");
        IllegalStateException e = assertThrows(IllegalStateException.class, result::schemaOrThrow);
        assertEquals("""
                t.rapace:1:26: unknown type `Nope`
                package p; struct A { a: Nope }
                                         ^
                """, e.getMessage());
        assertTrue(result.schema().isEmpty());
    }
}
