package io.rapace.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated array has exactly {@link #value()} elements, the IDL's {@code [T; N]}: on the wire the elements
 * with no length prefix. An array of another length is rejected when encoding.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD,
        ElementType.TYPE_USE})
public @interface Fixed {

    /** The number of elements, from 1 to {@code 2^31-1}. */
    int value();
}
