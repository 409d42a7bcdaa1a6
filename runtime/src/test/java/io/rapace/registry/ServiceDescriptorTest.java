package io.rapace.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.annotation.MethodKind;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import io.rapace.codec.PostcardReader;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServiceDescriptorTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void smallestServiceHasTheDocumentedLayout() throws DecodeException {
        ServiceDescriptor service = new ServiceDescriptor("a.B", "1.0", "", List.of(
                new MethodDescriptor(1, "m", MethodKind.UNARY, List.of(), TypeRef.UNIT, "")), List.of());
        // name, version, doc, 1 method {id 1, "m", Unary, no parameters, response () = Scalar(Unit), doc}, no types
        byte[] bytes = hex("03 612e42 03 312e30 00 01 01 01 6d 00 00 00 10 00 00");
        assertArrayEquals(bytes, Postcard.encode(ServiceDescriptor.CODEC, service));
        assertEquals(service, Postcard.decode(ServiceDescriptor.CODEC, bytes));
    }

    @Test
    void generatedDescriptorRoundTripsToAnEqualValue() throws DecodeException {
        CalculatorDescriptor generated = new CalculatorDescriptor();
        ServiceDescriptor decoded = Postcard.decode(ServiceDescriptor.CODEC,
                Postcard.encode(ServiceDescriptor.CODEC, generated));
        assertEquals(ServiceDescriptor.class, decoded.getClass());
        assertEquals(generated, decoded);
        assertEquals(decoded, generated);
        assertEquals(generated.hashCode(), decoded.hashCode());
        assertEquals(generated.toString(), decoded.toString());
    }

    @Test
    void everyKindOfTypeReferenceRoundTripsAndSpellsItselfAsTheIdlDoes() throws DecodeException {
        TypeRef type = new TypeRef.MapOf(TypeRef.STRING, new TypeRef.ListOf(new TypeRef.OptionOf(
                new TypeRef.ArrayOf(TypeRef.U8, 4))));
        TypeRef tuple = new TypeRef.Tuple(List.of(TypeRef.I64, new TypeRef.Named("x.Point"), TypeRef.CHAR));
        assertEquals("map<string, list<option<[u8; 4]>>>", type.typeName());
        assertEquals("(i64, x.Point, char)", tuple.typeName());
        assertEquals("()", TypeRef.UNIT.typeName());
        ServiceDescriptor service = new ServiceDescriptor("x.Shapes", "2.13", "Shapes.", List.of(
                new MethodDescriptor(-1, "Shapes.place", MethodKind.BIDI_STREAMING,
                        List.of(new Field("where", type, ""), new Field("what", tuple, "")), TypeRef.F64, "doc")),
                List.of(new TypeSchema.Struct("x.Point", "A point.", List.of(new Field("x", TypeRef.F32, "across"))),
                        new TypeSchema.Enum("x.Shape", "", List.of(
                                new TypeSchema.Variant("Dot", "", List.of()),
                                new TypeSchema.Variant("Poly", "", List.of(new Field("sides", TypeRef.U32, "")))))));
        assertEquals(service, Postcard.decode(ServiceDescriptor.CODEC, Postcard.encode(ServiceDescriptor.CODEC,
                service)));
        assertEquals(new TypeRef.Tuple(List.of(type, tuple)), service.methods().get(0).request());
    }

    @Test
    void requestTypeFollowsTheParameters() {
        assertEquals(TypeRef.UNIT, new MethodDescriptor(1, "none", MethodKind.UNARY, List.of(), TypeRef.UNIT, "")
                .request());
        assertEquals(TypeRef.I64, new MethodDescriptor(1, "one", MethodKind.UNARY,
                List.of(new Field("", TypeRef.I64, "")), TypeRef.UNIT, "").request());
        assertEquals("(i64, i64)", new CalculatorDescriptor().method(CalculatorDescriptor.ADD_ID).orElseThrow()
                .request().typeName());
    }

    @Test
    void brokenEntriesFailWhereTheyAreMade() {
        assertEquals("service x.S: version 1.02 is not MAJOR.MINOR (digits, no leading zeros)",
                assertThrows(IllegalArgumentException.class,
                        () -> new ServiceDescriptor("x.S", "1.02", "", List.of(), List.of())).getMessage());
        MethodDescriptor a = new MethodDescriptor(7, "a", MethodKind.UNARY, List.of(), TypeRef.UNIT, "");
        MethodDescriptor b = new MethodDescriptor(7, "b", MethodKind.UNARY, List.of(), TypeRef.UNIT, "");
        assertEquals("service x.S: methods a and b share the id 7", assertThrows(IllegalArgumentException.class,
                () -> new ServiceDescriptor("x.S", "1.0", "", List.of(a, b), List.of())).getMessage());
        MethodDescriptor usesPoint = new MethodDescriptor(8, "c", MethodKind.UNARY, List.of(),
                new TypeRef.ListOf(new TypeRef.Named("x.Point")), "");
        assertEquals("service x.S: method c refers to type x.Point, which the descriptor does not define",
                assertThrows(IllegalArgumentException.class,
                        () -> new ServiceDescriptor("x.S", "1.0", "", List.of(usesPoint), List.of())).getMessage());
        assertEquals("method zero has id 0, which is reserved", assertThrows(IllegalArgumentException.class,
                () -> new MethodDescriptor(0, "zero", MethodKind.UNARY, List.of(), TypeRef.UNIT, "")).getMessage());
        assertEquals("enum x.E has no variant", assertThrows(IllegalArgumentException.class,
                () -> new TypeSchema.Enum("x.E", "", List.of())).getMessage());
    }

    @Test
    void descriptorsDifferingInOneMethodAreNotEqual() {
        ServiceDescriptor one = new ServiceDescriptor("x.S", "1.0", "", List.of(
                new MethodDescriptor(1, "m", MethodKind.UNARY, List.of(), TypeRef.UNIT, "")), List.of());
        ServiceDescriptor other = new ServiceDescriptor("x.S", "1.0", "", List.of(
                new MethodDescriptor(1, "m", MethodKind.SERVER_STREAMING, List.of(), TypeRef.UNIT, "")), List.of());
        assertNotEquals(one, other);
    }

    @Test
    void typesNestAtMost32Deep() throws DecodeException {
        TypeRef type = TypeRef.BOOL;
        for (int i = 0; i < TypeRef.MAX_DEPTH; i++) {
            type = new TypeRef.OptionOf(type);
        }
        TypeRef deepest = type;
        assertEquals("types nest more than 32 levels deep: " + deepest.typeName(),
                assertThrows(IllegalArgumentException.class, () -> new TypeRef.ListOf(deepest)).getMessage());

        byte[] ok = new byte[TypeRef.MAX_DEPTH + 2];
        Arrays.fill(ok, 0, TypeRef.MAX_DEPTH, (byte) 1);
        assertEquals(deepest, RegistryCodec.decodeType(PostcardReader.of(ok), 0));

        byte[] tooDeep = new byte[TypeRef.MAX_DEPTH + 3];
        Arrays.fill(tooDeep, 0, TypeRef.MAX_DEPTH + 1, (byte) 1);
        DecodeException e = assertThrows(DecodeException.class,
                () -> RegistryCodec.decodeType(PostcardReader.of(tooDeep), 0));
        assertEquals(DecodeException.Reason.INVALID_VALUE, e.reason());
        assertEquals("other:invalid-value at offset 32: types nest more than 32 levels deep", e.getMessage());
    }

    @Test
    void decodedSchemaThatBreaksAModelRuleIsADecodeException() {
        // a service whose only method returns the undefined named type "P"
        byte[] bytes = hex("01 53 03 312e30 00 01 01 01 6d 00 00 06 01 50 00 00");
        DecodeException e = assertThrows(DecodeException.class, () -> Postcard.decode(ServiceDescriptor.CODEC, bytes));
        assertEquals("other:invalid-value at offset 0: service S: method m refers to type P, which the descriptor "
                + "does not define", e.getMessage());
    }

    /** Whatever bytes a peer sends, decoding a descriptor throws nothing but DecodeException. */
    @Test
    void mutatedDescriptorsOnlyEverThrowDecodeException() {
        byte[] valid = Postcard.encode(ServiceDescriptor.CODEC, new CalculatorDescriptor());
        Random random = new Random(20240607L);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = valid.clone();
            int edits = 1 + random.nextInt(4);
            for (int i = 0; i < edits; i++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            try {
                Postcard.decode(ServiceDescriptor.CODEC, bytes);
            } catch (DecodeException expected) {
                // the only acceptable failure
            }
        }
    }
}
