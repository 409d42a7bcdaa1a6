package io.rapace.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a rapace service. Every abstract method of the interface is a method of the service,
 * annotated with {@link RapaceMethod} or not.
 *
 * <pre>{@code
 * @RapaceService(name = "rapace.HostServices", version = "1.0")
 * public interface HostServices { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RapaceService {

    /** The service's registry name; empty (the default) means {@code <package>.<SimpleName>} of the interface. */
    String name() default "";

    /** The service's version, {@code MAJOR.MINOR} without leading zeros. */
    String version() default "1.0";
}
