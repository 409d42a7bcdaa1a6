package io.rapace.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.rapace.annotation.MethodKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two versions of one API, {@code shop.Orders}, and for each change between them whether the fingerprint of its
 * method {@code place} differs, and how the difference is put into words. (What a call then does, FAILED_PRECONDITION
 * for a differing fingerprint, is {@code RpcSessionProcessTest}'s and the plugin-api sample's.)
 */
class SchemaFingerprintTest {
    private static final int PLACE = 10;

    private static Field field(String name, TypeRef type) {
        return new Field(name, type, "");
    }

    private static ServiceDescriptor orders(String doc, TypeSchema order, TypeSchema status) {
        MethodDescriptor place = new MethodDescriptor(PLACE, "place", MethodKind.UNARY,
                List.of(field("order", new TypeRef.Named(order.name()))), new TypeRef.Named("Receipt"), doc);
        TypeSchema receipt = new TypeSchema.Struct("Receipt", "", List.of(field("id", TypeRef.U64),
                field("status", new TypeRef.Named("Status"))));
        return new ServiceDescriptor("shop.Orders", "1.0", doc, List.of(place), List.of(order, receipt, status));
    }

    private static TypeSchema order(Field... fields) {
        return new TypeSchema.Struct("Order", "An order.", List.of(fields));
    }

    private static TypeSchema status(TypeSchema.Variant... variants) {
        return new TypeSchema.Enum("Status", "", List.of(variants));
    }

    private static TypeSchema.Variant variant(String name, Field... fields) {
        return new TypeSchema.Variant(name, "", List.of(fields));
    }

    private static final ServiceDescriptor V1 = orders("Orders.",
            order(field("item", TypeRef.STRING), field("quantity", TypeRef.U32)),
            status(variant("Accepted"), variant("Rejected", field("reason", TypeRef.STRING))));

    private static long place(ServiceDescriptor service) {
        return service.fingerprint(PLACE);
    }

    @Test
    void onlyADocCommentChanged() {
        ServiceDescriptor v2 = orders("Orders, now documented at length.",
                new TypeSchema.Struct("Order", "What a customer wants.", List.of(new Field("item", TypeRef.STRING,
                        "The article."), field("quantity", TypeRef.U32))),
                status(variant("Accepted"), variant("Rejected", field("reason", TypeRef.STRING))));
        assertEquals(place(V1), place(v2));
        assertEquals(Optional.empty(), SchemaFingerprint.difference(V1, v2, PLACE));
    }

    @Test
    void aTypeRenamedKeepsItsFingerprint() {
        TypeSchema purchase = new TypeSchema.Struct("Purchase", "", List.of(field("item", TypeRef.STRING),
                field("quantity", TypeRef.U32)));
        ServiceDescriptor v2 = orders("Orders.", purchase,
                status(variant("Accepted"), variant("Rejected", field("reason", TypeRef.STRING))));
        assertEquals(place(V1), place(v2));
    }

    @Test
    void aFieldAppended() {
        ServiceDescriptor v2 = orders("Orders.",
                order(field("item", TypeRef.STRING), field("quantity", TypeRef.U32), field("note", TypeRef.STRING)),
                status(variant("Accepted"), variant("Rejected", field("reason", TypeRef.STRING))));
        assertNotEquals(place(V1), place(v2));
        assertEquals("method shop.Orders.place differs in its type Order {item: string, quantity: u32} here, "
                + "Order {item: string, quantity: u32, note: string} on the peer",
                SchemaFingerprint.difference(V1, v2, PLACE).orElseThrow());
    }

    @Test
    void aFieldsTypeChanged() {
        ServiceDescriptor v2 = orders("Orders.",
                order(field("item", TypeRef.STRING), field("quantity", TypeRef.U64)),
                status(variant("Accepted"), variant("Rejected", field("reason", TypeRef.STRING))));
        assertNotEquals(place(V1), place(v2));
        assertEquals("method shop.Orders.place differs in its type Order {item: string, quantity: u32} here, "
                + "Order {item: string, quantity: u64} on the peer",
                SchemaFingerprint.difference(V1, v2, PLACE).orElseThrow());
    }

    @Test
    void aVariantAppended() {
        ServiceDescriptor v2 = orders("Orders.",
                order(field("item", TypeRef.STRING), field("quantity", TypeRef.U32)),
                status(variant("Accepted"), variant("Rejected", field("reason", TypeRef.STRING)),
                        variant("Cancelled")));
        assertNotEquals(place(V1), place(v2));
        assertEquals("method shop.Orders.place differs in its type Status {Accepted, Rejected {reason: string}} "
                + "here, Status {Accepted, Rejected {reason: string}, Cancelled} on the peer",
                SchemaFingerprint.difference(V1, v2, PLACE).orElseThrow());
    }

    @Test
    void aFieldRenamedChangesTheMeaning() {
        ServiceDescriptor v2 = orders("Orders.",
                order(field("article", TypeRef.STRING), field("quantity", TypeRef.U32)),
                status(variant("Accepted"), variant("Rejected", field("reason", TypeRef.STRING))));
        assertNotEquals(place(V1), place(v2));
    }

    @Test
    void theCallShapeCounts() {
        MethodDescriptor streaming = new MethodDescriptor(PLACE, "place", MethodKind.SERVER_STREAMING,
                List.of(field("order", new TypeRef.Named("Order"))), new TypeRef.Named("Receipt"), "");
        ServiceDescriptor v2 = new ServiceDescriptor("shop.Orders", "1.0", "", List.of(streaming), V1.types());
        assertNotEquals(place(V1), place(v2));
        assertEquals("method shop.Orders.place differs: here UNARY (order: Order) -> Receipt, on the peer "
                + "SERVER_STREAMING (order: Order) -> Receipt",
                SchemaFingerprint.difference(V1, v2, PLACE).orElseThrow());
    }

    @Test
    void aRecursiveTypeHasAFingerprint() {
        TypeSchema tree = new TypeSchema.Struct("Tree", "", List.of(field("value", TypeRef.I32),
                field("children", new TypeRef.ListOf(new TypeRef.Named("Tree")))));
        MethodDescriptor sum = new MethodDescriptor(1, "sum", MethodKind.UNARY,
                List.of(field("", new TypeRef.Named("Tree"))), TypeRef.I64, "");
        ServiceDescriptor a = new ServiceDescriptor("t.Trees", "1.0", "", List.of(sum), List.of(tree));
        assertEquals(a.fingerprint(1), new ServiceDescriptor("t.Trees", "1.0", "", List.of(sum), List.of(tree))
                .fingerprint(1));
        assertNotEquals(0, a.fingerprint(1));
    }
}
