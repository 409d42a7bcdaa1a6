package io.rapace.idl.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.sink.EchoDescriptor;
import io.rapace.sink.KitchenSinkDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The kitchen sink's generated descriptors (Echo's id is docs/idl.md's check value {@code 0x3E895C50}), found on the test class path through the generated {@code ServiceLoader}
 * resource, print the seed's listing (sorted by service name, methods by unsigned id), and survive their own
 * postcard encoding.
 */
class RegistryTest {

    @Test
    void discoverFindsTheGeneratedServicesAndDescribesThem() {
        assertEquals("""
                Service: io.rapace.sink.Echo v1.0
                  - echo (1049189456): Unary

                Service: io.rapace.sink.Kitchen v2.3
                  - evaluate (7): Unary
                  - upload (605169033): ClientStreaming
                  - lookup (824278780): Unary
                  - drain (1076210584): ClientStreaming
                  - totals (1441314659): BidiStreaming
                  - empty (1509246220): Unary
                  - events (1515267752): ServerStreaming
                  - Math.add (1746731059): Unary
                  - letters (1772464971): Unary
                  - message (1801549859): Unary
                  - keywords (1822886717): Unary
                  - tree (1826195307): Unary
                  - log (1829447791): Unary
                  - repeat (1985430611): ServerStreaming
                  - big (2779554339): Unary
                  - fixed (2992975081): Unary
                  - shadows (3171744820): Unary
                  - ping (3390115596): Unary
                  - scalars (3545697945): Unary
                  - echo (3638600971): BidiStreaming
                  - import (3860551253): Unary
                  - composites (3974396690): Unary
                  - tricky (4104639102): Unary
                  - count (4111499645): ServerStreaming
                  - shape (4185108290): Unary
                  - color (4294967295): Unary
                """, ServiceRegistry.discover().describe());
    }

    @Test
    void descriptorsRoundTripThroughTheirCodec() throws DecodeException {
        for (ServiceDescriptor descriptor : new ServiceDescriptor[] {new KitchenSinkDescriptor(),
                new EchoDescriptor()}) {
            assertEquals(descriptor, Postcard.decode(ServiceDescriptor.CODEC,
                    Postcard.encode(ServiceDescriptor.CODEC, descriptor)));
        }
    }
}
