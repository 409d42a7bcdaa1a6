/**
 * rapace's annotation processor: annotated service interfaces to the schema model, then the shared generator
 * ({@code docs/annotations.md}). It runs from the processor path (found through {@code META-INF/services}, written by
 * AutoService) or, on JDK 23 and later, from {@code --processor-module-path} (found through this module's
 * {@code provides}). {@code io.rapace.processor} is exported only so that build files can name
 * {@code io.rapace.processor.RapaceProcessor}.
 */
@SuppressWarnings("requires-automatic") // AutoService's annotations, at compile time only
module io.rapace.processor {
    requires io.rapace.idl;
    requires transitive java.compiler;
    requires jdk.compiler;
    requires static com.google.auto.service;

    exports io.rapace.processor;

    provides javax.annotation.processing.Processor with io.rapace.processor.RapaceProcessor;
}
