package io.rapace.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Refines a method of a {@link RapaceService} interface. The annotation is optional: an abstract method without it
 * is a method of the service with every member at its default.
 *
 * <pre>{@code
 * @RapaceMethod(id = 1000, name = "Logger.log", kind = MethodKind.UNARY)
 * void log(LogRequest request);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RapaceMethod {

    /**
     * The method id: an {@code int} holding the bits of a u32 ({@code 0xFFFFFFFF} is legal). 0, the default, means
     * the IDL's default rule: FNV-1a-64 over the UTF-8 of {@code InterfaceSimpleName.name}, folded to 32 bits as
     * {@code (int) ((h >>> 32) ^ h)}.
     */
    int id() default 0;

    /** The method's name as the registry and the default id see it; empty (the default) means the Java name. */
    String name() default "";

    /**
     * The call shape. An annotation member cannot default to "absent", so this is an array: empty (the default) means
     * "what the signature says" (a stream parameter makes it client or bidi streaming, a stream result server or
     * bidi streaming); one element declares the kind, and the processor checks it against the signature; more than
     * one element is an error. Write it as {@code kind = MethodKind.UNARY}.
     */
    MethodKind[] kind() default {};
}
