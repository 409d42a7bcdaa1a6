package io.rapace.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnnotationsTest {

    record LogRequest(@Unsigned int level, @CodePoint int marker, @Fixed(4) byte[] tag) {
    }

    /** The design's own example, written against these annotations. */
    @RapaceService(name = "rapace.HostServices", version = "1.0")
    interface HostServices {
        @RapaceMethod(id = 1000, name = "Logger.log", kind = MethodKind.UNARY)
        void log(LogRequest request);

        @RapaceMethod(id = 0xFFFFFFFF)
        void everyBitSet();

        void notAnnotated();
    }

    @RapaceService
    interface Defaults {
    }

    @Test
    void valuesAreReadableAtRunTime() throws NoSuchMethodException {
        RapaceService service = HostServices.class.getAnnotation(RapaceService.class);
        assertEquals("rapace.HostServices", service.name());
        assertEquals("1.0", service.version());
        RapaceMethod log = HostServices.class.getMethod("log", LogRequest.class).getAnnotation(RapaceMethod.class);
        assertEquals(1000, log.id());
        assertEquals("Logger.log", log.name());
        assertArrayEquals(new MethodKind[] {MethodKind.UNARY}, log.kind());
    }

    @Test
    void defaultsMeanTheDesignsDefaultRules() throws NoSuchMethodException {
        RapaceService service = Defaults.class.getAnnotation(RapaceService.class);
        assertEquals("", service.name());
        assertEquals("1.0", service.version());
        Method everyBitSet = HostServices.class.getMethod("everyBitSet");
        RapaceMethod method = everyBitSet.getAnnotation(RapaceMethod.class);
        assertEquals(-1, method.id());
        assertEquals("", method.name());
        assertArrayEquals(new MethodKind[0], method.kind());
    }

    @Test
    void refinementsOnRecordComponentsAreReadableAtRunTime() {
        var components = LogRequest.class.getRecordComponents();
        assertEquals(true, components[0].isAnnotationPresent(Unsigned.class));
        assertEquals(true, components[1].isAnnotationPresent(CodePoint.class));
        assertEquals(4, components[2].getAnnotation(Fixed.class).value());
    }

    @Test
    void retentionAndTargetsAreTheDesigns() {
        for (Class<?> annotation : List.of(RapaceService.class, RapaceMethod.class, Unsigned.class, CodePoint.class,
                Fixed.class)) {
            assertEquals(RetentionPolicy.RUNTIME, annotation.getAnnotation(Retention.class).value(),
                    annotation.getName());
        }
        assertEquals(Set.of(ElementType.TYPE), Set.of(RapaceService.class.getAnnotation(Target.class).value()));
        assertEquals(Set.of(ElementType.METHOD), Set.of(RapaceMethod.class.getAnnotation(Target.class).value()));
        Set<ElementType> refinements = Set.of(ElementType.RECORD_COMPONENT, ElementType.PARAMETER,
                ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE);
        for (Class<?> annotation : List.of(Unsigned.class, CodePoint.class, Fixed.class)) {
            assertEquals(refinements, Set.of(annotation.getAnnotation(Target.class).value()), annotation.getName());
        }
    }

    /** The registry encodes a kind as its ordinal: the order is part of the wire. */
    @Test
    void kindsAreDeclaredInTheDesignsOrder() {
        assertEquals(List.of(MethodKind.UNARY, MethodKind.CLIENT_STREAMING, MethodKind.SERVER_STREAMING,
                MethodKind.BIDI_STREAMING), List.of(MethodKind.values()));
    }
}
