package io.rapace.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated {@code int} (or {@code Integer}) is a Unicode scalar value, the IDL's {@code char}: on the wire the
 * UTF-8 of that one character, length-prefixed. Surrogates and values above U+10FFFF are rejected when encoding.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD,
        ElementType.TYPE_USE})
public @interface CodePoint {
}
