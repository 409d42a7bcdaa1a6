package io.rapace.idl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.annotation.MethodKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {

    private static final SourcePosition AT = new SourcePosition("t.rapace", 1, 1);
    private static final TypeName NODE = new TypeName("p", "Node");

    private static StructDecl node() {
        TypeRef next = new TypeRef.OptionOf(new TypeRef.Declared(NODE, AT), AT);
        return new StructDecl(NODE, JavaClassName.of("p", "Node"),
                List.of(new Field("next", "next", next, "", AT)), "", AT);
    }

    private static Method method(String name, int id) {
        return new Method(name, JavaNames.methodName(name), id, true, MethodKind.UNARY, new Parameters.None(AT),
                new TypeRef.Unit(AT), "", AT);
    }

    private static Service service(String name, Method... methods) {
        return new Service("p", name, "p." + name, "1.0", JavaClassName.of("p", name), List.of(methods), "", AT);
    }

    @Test
    void resolvesDeclaredReferencesIncludingRecursiveOnes() {
        Schema schema = new Schema(List.of(node()), List.of());
        TypeRef.OptionOf next = (TypeRef.OptionOf) ((StructDecl) schema.types().get(0)).fields().get(0).type();
        assertEquals(NODE, schema.resolve((TypeRef.Declared) next.element()).name());
        assertTrue(schema.find(new TypeName("q", "Node")).isEmpty());
    }

    @Test
    void rejectsAReferenceToATypeItDoesNotHold() {
        StructDecl dangling = new StructDecl(new TypeName("p", "A"), JavaClassName.of("p", "A"),
                List.of(new Field("b", "b", new TypeRef.Declared(new TypeName("p", "B"), AT), "", AT)), "", AT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Schema(List.of(dangling), List.of()));
        assertEquals("type p.B (at t.rapace:1:1) is not declared in this schema", e.getMessage());
    }

    @Test
    void rejectsDuplicateTypesServiceNamesAndMethodIds() {
        assertThrows(IllegalArgumentException.class, () -> new Schema(List.of(node(), node()), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Schema(List.of(), List.of(service("A", method("a", 1)), service("A", method("b", 2)))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Schema(List.of(), List.of(service("A", method("a", -1)), service("B", method("b", -1)))));
        assertEquals("method id 4294967295 is used twice (by a at t.rapace:1:1 and b at t.rapace:1:1)",
                e.getMessage());
    }

    @Test
    void copiesListsSoThatRecordsStayImmutable() {
        List<Field> fields = new ArrayList<>();
        StructDecl struct = new StructDecl(new TypeName("p", "S"), JavaClassName.of("p", "S"), fields, "", AT);
        fields.add(new Field("x", "x", new TypeRef.Primitive(PrimitiveType.U8, AT), "", AT));
        assertTrue(struct.fields().isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> struct.fields().add(null));
    }

    @Test
    void keepsUnitAndTuplesOutOfOtherTypes() {
        assertThrows(IllegalArgumentException.class, () -> new TypeRef.ListOf(new TypeRef.Unit(AT), AT));
        assertThrows(IllegalArgumentException.class,
                () -> new Field("f", "f", new TypeRef.Unit(AT), "", AT));
        assertThrows(IllegalArgumentException.class,
                () -> new TypeRef.ArrayOf(new TypeRef.Primitive(PrimitiveType.U8, AT), 0, AT));
    }

    @Test
    void checksMethodInvariants() {
        assertThrows(IllegalArgumentException.class, () -> method("zero", 0));
        assertThrows(IllegalArgumentException.class, () -> new Method("s", "s", 1, true,
                MethodKind.SERVER_STREAMING, new Parameters.None(AT), new TypeRef.Unit(AT), "", AT));
        assertThrows(IllegalArgumentException.class, () -> new Method("c", "c", 1, true,
                MethodKind.CLIENT_STREAMING, new Parameters.None(AT), new TypeRef.Unit(AT), "", AT));
        TypeRef u8 = new TypeRef.Primitive(PrimitiveType.U8, AT);
        Method named = new Method("add", "add", 7, false, MethodKind.UNARY, new Parameters.Named(List.of(
                new Parameter("a", "a", u8, AT), new Parameter("b", "b", u8, AT))), u8, "", AT);
        assertEquals("(u8, u8)", named.requestType().toIdl());
        assertEquals(7L, named.unsignedId());
    }

    @Test
    void validatesServiceVersions() {
        assertTrue(Service.isValidVersion("1.0"));
        assertTrue(Service.isValidVersion("10.20"));
        assertFalse(Service.isValidVersion("01.0"));
        assertFalse(Service.isValidVersion("1.00"));
        assertFalse(Service.isValidVersion("1"));
        assertFalse(Service.isValidVersion("1.2.3"));
        assertFalse(Service.isValidVersion("1."));
        assertEquals("p.Echo", Service.defaultName("p", "Echo"));
        assertEquals("Echo", Service.defaultName("", "Echo"));
    }

    @Test
    void namesNestedJavaClasses() {
        JavaClassName variant = JavaClassName.of("p", "HostEvent").nested("PluginLoaded");
        assertEquals("p.HostEvent.PluginLoaded", variant.canonicalName());
        assertEquals("PluginLoaded", variant.simpleName());
        assertEquals(JavaClassName.of("p", "HostEvent"), variant.topLevel());
        assertEquals("Top", JavaClassName.of("", "Top").canonicalName());
    }

    @Test
    void rendersTypesAsTheIdlSpellsThem() {
        TypeRef u8 = new TypeRef.Primitive(PrimitiveType.U8, AT);
        TypeRef type = new TypeRef.MapOf(new TypeRef.Primitive(PrimitiveType.STRING, AT),
                new TypeRef.ListOf(new TypeRef.ArrayOf(new TypeRef.OptionOf(u8, AT), 4, AT), AT), AT);
        assertEquals("map<string, list<[option<u8>; 4]>>", type.toIdl());
        assertEquals("t.rapace:1:1", AT.toString());
        assertEquals("Foo.java", SourcePosition.of("Foo.java").toString());
    }
}
