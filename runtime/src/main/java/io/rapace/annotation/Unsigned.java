package io.rapace.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated integer is unsigned on the wire: {@code byte short int long} become {@code u8 u16 u32 u64} (the
 * Java value holds the same bits, so the u64 2^64-1 is the {@code long} -1), and {@code BigInteger} becomes
 * {@code u128}.
 *
 * <p>On a type use ({@code List<@Unsigned Long>}), javac on JDK 17 shows the annotation only for types compiled in
 * the same compilation; the declaration forms (record component, parameter, method result, field) work everywhere.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD,
        ElementType.TYPE_USE})
public @interface Unsigned {
}
