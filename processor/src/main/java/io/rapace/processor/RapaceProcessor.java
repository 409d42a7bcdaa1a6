package io.rapace.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import io.rapace.idl.gen.GeneratedFile;
import io.rapace.idl.gen.GeneratorOptions;
import io.rapace.idl.gen.JavaGenerator;
import io.rapace.idl.model.JavaClassName;
import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.print.IdlPrinter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The annotation front end of rapace. For each interface annotated with {@code @RapaceService} it reads the service
 * and the types its methods reach into the schema model, hands that to {@link JavaGenerator} with
 * {@link GeneratorOptions#emitTypes()} false (the user wrote the types and the interface), and writes
 * {@code FooClient}, {@code FooDispatcher}, {@code FooDescriptor}, a codec per type, the service's IDL as
 * {@code META-INF/rapace/<service name>.rapace}, and, in the last round, the {@code ServiceLoader} file merged with
 * the entries already in the class output.
 *
 * <p>Problems are reported on their element; a service with a problem, or reaching a type with one, gets no files.
 * The processor is declared aggregating for Gradle: the ids and the {@code ServiceLoader} file span the compilation.
 */
@AutoService(Processor.class)
@SuppressWarnings("exports") // AutoService's annotation has CLASS retention; users never read it
public final class RapaceProcessor extends AbstractProcessor {

    private Problems problems;
    private ModelReader reader;
    private final Set<String> writtenPaths = new HashSet<>();
    private final Set<String> descriptors = new LinkedHashSet<>();
    private final Set<String> deferred = new LinkedHashSet<>();
    private final List<Schema> schemas = new ArrayList<>();

    /** What javac's {@code ServiceLoader} (processor path or module path) calls. */
    public RapaceProcessor() {
    }

    @Override
    public synchronized void init(ProcessingEnvironment environment) {
        super.init(environment);
        problems = new Problems(environment.getMessager());
        reader = new ModelReader(environment, problems);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(ModelReader.RAPACE_SERVICE);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Element current = null;
        try {
            List<TypeElement> candidates = new ArrayList<>();
            for (String name : deferred) {
                TypeElement again = processingEnv.getElementUtils().getTypeElement(name);
                if (again != null) {
                    candidates.add(again);
                }
            }
            deferred.clear();
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ModelReader.RAPACE_SERVICE);
            if (annotation != null) {
                for (Element element : round.getElementsAnnotatedWith(annotation)) {
                    if (element instanceof TypeElement type) {
                        candidates.add(type);
                    }
                }
            }
            List<ModelReader.ServiceModel> services = new ArrayList<>();
            for (TypeElement candidate : candidates) {
                current = candidate;
                boolean[] unresolved = new boolean[1];
                ModelReader.ServiceModel service = reader.readService(candidate, round.processingOver(), unresolved);
                if (unresolved[0]) {
                    deferred.add(candidate.getQualifiedName().toString());
                } else if (service != null) {
                    services.add(service);
                }
            }
            current = null;
            generate(services);
            if (round.processingOver()) {
                writeServiceLoaderFile();
            }
        } catch (RuntimeException | LinkageError e) {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ModelReader.RAPACE_SERVICE);
            Element at = current != null ? current : annotation;
            String message = "rapace processor failed: " + e + " (please report this with the source that caused"
                    + " it)";
            if (at != null) {
                problems.error(at, message);
            } else {
                processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR, message);
            }
        }
        return false;
    }

    private void generate(List<ModelReader.ServiceModel> services) {
        if (services.isEmpty()) {
            return;
        }
        services = withoutClashes(services);
        if (services.isEmpty()) {
            return;
        }
        Set<String> roots = new LinkedHashSet<>();
        List<Service> model = new ArrayList<>();
        Map<String, Element[]> originating = new LinkedHashMap<>();
        Map<String, Element> serviceByPackagePath = new HashMap<>();
        for (ModelReader.ServiceModel service : services) {
            roots.addAll(service.types());
            model.add(service.service());
        }
        List<TypeDecl> types = reader.closure(roots);
        Schema schema = new Schema(types, model);
        schemas.add(schema);
        List<GeneratedFile> files;
        try {
            files = JavaGenerator.generate(schema, userClasses(services, types));
        } catch (IllegalArgumentException e) {
            for (ModelReader.ServiceModel service : services) {
                problems.error(service.element(), e.getMessage());
            }
            return;
        }
        for (ModelReader.ServiceModel service : services) {
            Element element = service.element();
            String base = service.service().javaName().packageName().replace('.', '/');
            String prefix = base.isEmpty() ? "" : base + "/";
            String joined = String.join("", service.service().javaName().simpleNames());
            serviceByPackagePath.put(prefix + joined + ".java", element);
            for (String suffix : List.of("Client", "Dispatcher", "Descriptor")) {
                originating.put(prefix + joined + suffix + ".java", new Element[] {element});
            }
        }
        Filer filer = processingEnv.getFiler();
        for (GeneratedFile file : files) {
            if (file.kind() == GeneratedFile.Kind.RESOURCE) {
                file.content().lines().filter(line -> !line.isBlank()).forEach(descriptors::add);
                continue;
            }
            if (serviceByPackagePath.containsKey(file.path()) && !isCompanion(file.path(), originating)
                    || !writtenPaths.add(file.path())) {
                continue;  // the user's own interface, or a codec an earlier round wrote
            }
            String className = file.path().substring(0, file.path().length() - ".java".length()).replace('/', '.');
            Element[] from = originating.getOrDefault(file.path(), servicesElements(services));
            try (Writer writer = filer.createSourceFile(className, from).openWriter()) {
                writer.write(file.content());
            } catch (IOException e) {
                problems.error(from[0], "cannot write " + className + ": " + e.getMessage());
            }
        }
        for (ModelReader.ServiceModel service : services) {
            Schema own = new Schema(reader.closure(service.types()), List.of(service.service()));
            String path = "META-INF/rapace/" + service.service().name() + ".rapace";
            try {
                FileObject resource = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path,
                        service.element());
                try (Writer writer = resource.openWriter()) {
                    writer.write(IdlPrinter.print(service.service().packageName(), own));
                }
            } catch (IOException e) {
                problems.error(service.element(), "cannot write " + path + ": " + e.getMessage());
            }
        }
    }

    /**
     * The options that tell the generator which of the user's classes share a scope with the generated code: the
     * top-level classes of each package it writes into, and the member classes of each service interface (its
     * client inherits them). It spells in full any other class of those names.
     */
    private GeneratorOptions userClasses(List<ModelReader.ServiceModel> services, List<TypeDecl> types) {
        Elements elements = processingEnv.getElementUtils();
        Set<String> packages = new TreeSet<>();
        Map<String, Set<String>> memberClasses = new TreeMap<>();
        for (ModelReader.ServiceModel service : services) {
            packages.add(service.service().javaName().packageName());
            Set<String> members = new TreeSet<>();
            for (TypeElement member : ElementFilter.typesIn(elements.getAllMembers(service.element()))) {
                members.add(member.getSimpleName().toString());
            }
            memberClasses.put(service.service().javaName().canonicalName(), members);
        }
        for (TypeDecl type : types) {
            packages.add(type.javaName().packageName());
        }
        Map<String, Set<String>> packageClasses = new TreeMap<>();
        for (String packageName : packages) {
            PackageElement element = elements.getPackageElement(packageName);
            Set<String> names = new TreeSet<>();
            if (element != null) {
                for (TypeElement type : ElementFilter.typesIn(element.getEnclosedElements())) {
                    names.add(type.getSimpleName().toString());
                }
            }
            packageClasses.put(packageName, names);
        }
        return new GeneratorOptions("", false).withUserClasses(packageClasses, memberClasses);
    }

    /**
     * {@code services} but those that cannot be generated because of how the user named a class, each reported on
     * that class: a class of the package named like one the generator writes for the service ({@code FooClient}, a
     * codec), or a member class of the service interface that would hide, inside the generated client, a class the
     * client names by its simple name.
     */
    private List<ModelReader.ServiceModel> withoutClashes(List<ModelReader.ServiceModel> services) {
        Elements elements = processingEnv.getElementUtils();
        List<ModelReader.ServiceModel> fine = new ArrayList<>();
        for (ModelReader.ServiceModel service : services) {
            boolean clash = false;
            JavaClassName interfaceName = service.service().javaName();
            String packageName = interfaceName.packageName();
            Map<String, String> written = new LinkedHashMap<>();
            String base = qualified(packageName, String.join("", interfaceName.simpleNames()));
            String what = "service " + interfaceName.canonicalName();
            written.put(base + "Client", "the client that rapace generates for " + what);
            written.put(base + "Dispatcher", "the dispatcher that rapace generates for " + what);
            written.put(base + "Descriptor", "the descriptor that rapace generates for " + what);
            Set<String> namedInClient = new TreeSet<>();
            for (TypeDecl type : reader.closure(service.types())) {
                JavaClassName name = type.javaName();
                written.put(qualified(name.packageName(), String.join("", name.simpleNames()) + "Codec"),
                        "the codec that rapace generates for " + name.canonicalName());
                if (name.packageName().equals(packageName)) {
                    namedInClient.add(qualified(packageName, name.simpleNames().get(0)));
                }
            }
            for (Map.Entry<String, String> file : written.entrySet()) {
                TypeElement existing = elements.getTypeElement(file.getKey());
                if (existing != null && isUsersSource(existing)) {
                    clash = true;
                    problems.error(existing, file.getKey() + " is the name of " + file.getValue() + ": rename this"
                            + " class");
                }
            }
            for (TypeElement member : ElementFilter.typesIn(elements.getAllMembers(service.element()))) {
                String hidden = qualified(packageName, member.getSimpleName().toString());
                if (namedInClient.contains(hidden) || written.containsKey(hidden)) {
                    clash = true;
                    problems.error(member, "member class " + member.getSimpleName() + " of "
                            + interfaceName.canonicalName() + " hides " + hidden + " inside the client that rapace"
                            + " generates, which implements " + interfaceName.simpleName() + " and so inherits its"
                            + " member classes: rename one of them");
                }
            }
            if (!clash) {
                fine.add(service);
            }
        }
        return fine;
    }

    private static String qualified(String packageName, String simpleName) {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }

    /**
     * Whether {@code type} is declared in a source of this compilation that the user wrote: not read from a class
     * file (an earlier build's output), not written by this processor.
     */
    private boolean isUsersSource(TypeElement type) {
        Trees trees;
        try {
            trees = Trees.instance(processingEnv);
        } catch (RuntimeException | LinkageError notJavac) {
            return false;
        }
        TreePath path = trees.getPath(type);
        if (path == null) {
            return false;
        }
        try {
            return !path.getCompilationUnit().getSourceFile().getCharContent(true).toString()
                    .startsWith("// Generated by rapace");
        } catch (IOException unreadable) {
            return true;
        }
    }

    /** The schema handed to the generator in each round that had services, for tests. */
    List<Schema> schemas() {
        return List.copyOf(schemas);
    }

    private static boolean isCompanion(String path, Map<String, Element[]> companions) {
        return companions.containsKey(path);
    }

    private static Element[] servicesElements(List<ModelReader.ServiceModel> services) {
        Element[] elements = new Element[services.size()];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = services.get(i).element();
        }
        return elements;
    }

    /** Merges this compilation's descriptors with those already listed in the class output, as AutoService does. */
    private void writeServiceLoaderFile() {
        if (descriptors.isEmpty()) {
            return;
        }
        Filer filer = processingEnv.getFiler();
        Set<String> all = new TreeSet<>();
        try {
            FileObject existing = filer.getResource(StandardLocation.CLASS_OUTPUT, "", JavaGenerator.SERVICE_LOADER_PATH);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(existing.openInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    int comment = line.indexOf('#');
                    String entry = (comment >= 0 ? line.substring(0, comment) : line).trim();
                    if (!entry.isEmpty()) {
                        all.add(entry);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException none) {
            // No file yet: this compilation's entries are all there is.
        }
        all.addAll(descriptors);
        try {
            FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", JavaGenerator.SERVICE_LOADER_PATH);
            try (Writer writer = file.openWriter()) {
                for (String entry : all) {
                    writer.write(entry);
                    writer.write('\n');
                }
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
                    "cannot write " + JavaGenerator.SERVICE_LOADER_PATH + ": " + e.getMessage());
        }
    }
}
