/**
 * The generator: the only code in rapace that writes Java. {@link io.rapace.idl.gen.JavaGenerator} turns a
 * {@link io.rapace.idl.model.Schema} from either front end (the IDL parser, the annotation processor) into
 * {@link io.rapace.idl.gen.GeneratedFile}s: Java sources and the {@code ServiceLoader} registration. The Maven plugin
 * and the processor call it; {@link io.rapace.idl.gen.Main} runs it from a command line.
 *
 * <p>It is split by what it produces: {@code TypeGenerator} and {@code RecordWriter} the records, enums and sealed
 * interfaces; {@code CodecGenerator} (with {@code CodecPool} and {@code WireCode}) the codecs;
 * {@code InterfaceGenerator}, {@code ClientGenerator}, {@code DispatcherGenerator} and {@code DescriptorGenerator}
 * (with {@code RegistryCode}) a service's four classes, which agree through one {@code ServicePlan}; and
 * {@code ServiceLoaderFile} the resource. {@code JavaTypes}, {@code Names}, {@code Docs} and {@code Layout} hold the
 * type mapping, the naming rules, the Javadoc escaping and the touches to JavaPoet's layout.
 *
 * <p>It imports the model, JavaPoet ({@code com.palantir.javapoet}) and the JDK; it names runtime classes only as
 * JavaPoet class names, for the code it writes, which calls public runtime API only.
 */
package io.rapace.idl.gen;
