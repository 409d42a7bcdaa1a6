/**
 * rapace's IDL toolchain: the schema model, the {@code .rapace} parser with its diagnostics, the printer back to IDL,
 * and the generator from the model to Java (JavaPoet). The annotation processor and the Maven plugin call it; so may
 * other build tools. Every package is exported: each is a part of that toolchain's API ({@code docs/architecture.md}).
 */
@SuppressWarnings("requires-automatic") // JavaPoet is an automatic module with a stable Automatic-Module-Name
module io.rapace.idl {
    requires transitive io.rapace.runtime;
    requires com.palantir.javapoet;
    requires java.compiler;

    exports io.rapace.idl.model;
    exports io.rapace.idl.parse;
    exports io.rapace.idl.gen;
    exports io.rapace.idl.print;
}
