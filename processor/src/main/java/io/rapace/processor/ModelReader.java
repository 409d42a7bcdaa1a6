package io.rapace.processor;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import io.rapace.annotation.CodePoint;
import io.rapace.annotation.Fixed;
import io.rapace.annotation.MethodKind;
import io.rapace.annotation.RapaceMethod;
import io.rapace.annotation.RapaceService;
import io.rapace.annotation.Unsigned;
import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.JavaClassName;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.MethodIds;
import io.rapace.idl.model.Parameter;
import io.rapace.idl.model.Parameters;
import io.rapace.idl.model.PrimitiveType;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.SourcePosition;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.model.TypeName;
import io.rapace.idl.model.TypeRef;
import io.rapace.idl.model.Variant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads annotated service interfaces, and the types reachable from their methods, into the schema model. Types are
 * read once per compilation and shared by the services that reach them; every problem is reported on its element and
 * marks the type or service it belongs to as failed, and a service that reaches a failed type fails too.
 */
final class ModelReader {

    static final String RAPACE_SERVICE = "io.rapace.annotation.RapaceService";
    static final String RAPACE_METHOD = "io.rapace.annotation.RapaceMethod";
    private static final String RPC_STREAM = "io.rapace.rpc.RpcStream";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String MESSAGE_TYPES = "use a record (struct), an enum (unit enum), a sealed interface"
            + " of records with an explicit permits clause (enum with data), String, BigInteger, a primitive or its"
            + " box, byte[], a @Fixed array, Optional, List or Map";

    /** A service read without problems, with the declared types it reaches (by class name). */
    record ServiceModel(TypeElement element, Service service, Set<String> types) {
    }

    /** The declared types (and variant records) a type or a service names, and whether it had a problem. */
    private static final class Scope {
        final Set<String> reached = new LinkedHashSet<>();
        boolean failed;
        boolean unresolved;
    }

    private final Elements elements;
    private final Types types;
    private final Problems problems;
    private final Trees trees;
    private final Map<String, TypeDecl> declarations = new LinkedHashMap<>();
    private final Map<String, Set<String>> dependencies = new HashMap<>();
    private final Set<String> failedTypes = new LinkedHashSet<>();
    private final Map<String, TypeName> inProgress = new HashMap<>();
    private final Map<TypeName, String> classBySchemaName = new HashMap<>();
    private final Map<Integer, String> methodById = new HashMap<>();
    private final Map<String, String> serviceByName = new HashMap<>();

    ModelReader(ProcessingEnvironment environment, Problems problems) {
        this.elements = environment.getElementUtils();
        this.types = environment.getTypeUtils();
        this.problems = problems;
        Trees found;
        try {
            found = Trees.instance(environment);
        } catch (RuntimeException | LinkageError notJavac) {
            found = null;
        }
        this.trees = found;
    }

    /** Every type {@code roots} reach, each once, in the order they were first read. */
    List<TypeDecl> closure(Set<String> roots) {
        Set<String> seen = reachedKeys(roots);
        List<TypeDecl> result = new ArrayList<>();
        for (Map.Entry<String, TypeDecl> entry : declarations.entrySet()) {
            if (seen.contains(entry.getKey())) {
                result.add(entry.getValue());
            }
        }
        return result;
    }

    /** The class names of every type {@code roots} reach, read or failed, through the types' own references. */
    private Set<String> reachedKeys(Set<String> roots) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> work = new ArrayList<>(roots);
        while (!work.isEmpty()) {
            String next = work.remove(work.size() - 1);
            if (seen.add(next)) {
                work.addAll(dependencies.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /**
     * The service {@code element} declares, or null when it had a problem (reported) or names a type javac cannot
     * resolve yet ({@code unresolved} is then set, and nothing is reported: a later round may generate the type).
     */
    ServiceModel readService(TypeElement element, boolean lastRound, boolean[] unresolved) {
        Scope scope = new Scope();
        if (element.getKind() != ElementKind.INTERFACE) {
            problems.error(element, "@RapaceService goes on an interface, but " + element.getSimpleName() + " is "
                    + describeKind(element) + ": declare the service as an interface and implement it");
            return null;
        }
        if (!element.getTypeParameters().isEmpty()) {
            fail(scope, element, "generic service interface " + element.getSimpleName() + " is not supported: a"
                    + " service's parameter and result types must be concrete; remove the type parameters");
        }
        checkReachable(element, element, scope);
        String identifier = element.getSimpleName().toString();
        checkIdentifier(element, identifier, "service interface", scope);
        String packageName = elements.getPackageOf(element).getQualifiedName().toString();
        RapaceService annotation = element.getAnnotation(RapaceService.class);
        String name = annotation.name().isEmpty() ? Service.defaultName(packageName, identifier) : annotation.name();
        if (!Service.isValidVersion(annotation.version())) {
            scope.failed = true;
            problems.error(element, RAPACE_SERVICE, "version", "version \"" + annotation.version() + "\" is not"
                    + " MAJOR.MINOR: two decimal numbers without leading zeros, e.g. \"1.0\"");
        }
        String firstWithName = serviceByName.get(name);
        if (firstWithName != null && !firstWithName.equals(element.getQualifiedName().toString())) {
            scope.failed = true;
            problems.error(element, RAPACE_SERVICE, "name", "service name " + name + " is used twice (first by "
                    + firstWithName + "): service names are unique among everything generated together");
        }
        SourcePosition position = position(element);
        List<Method> methods = new ArrayList<>();
        Map<String, ExecutableElement> byJavaName = new HashMap<>();
        Map<String, ExecutableElement> byName = new HashMap<>();
        List<Runnable> idClaims = new ArrayList<>();
        for (ExecutableElement method : abstractMethods(element)) {
            ExecutableElement overloaded = byJavaName.putIfAbsent(method.getSimpleName().toString(), method);
            if (overloaded != null) {
                fail(scope, method, "overloaded method name " + method.getSimpleName() + ": each method of a service"
                        + " needs its own name (another " + method.getSimpleName() + " is declared in "
                        + ((TypeElement) overloaded.getEnclosingElement()).getQualifiedName() + ")");
            }
            // An overloaded method is still read, so that the problems of its signature are reported too.
            Method read = readMethod(element, identifier, method, scope, idClaims);
            if (read != null && overloaded == null) {
                ExecutableElement sameName = byName.putIfAbsent(read.name(), method);
                if (sameName != null) {
                    scope.failed = true;
                    problems.error(method, RAPACE_METHOD, "name", "method name " + read.name() + " is used twice"
                            + " in service " + identifier + " (first by " + sameName.getSimpleName() + ")");
                } else {
                    methods.add(read);
                }
            }
        }
        for (String reached : reachedKeys(scope.reached)) {
            if (failedTypes.contains(reached)) {
                scope.failed = true;
            }
        }
        if (scope.unresolved && !lastRound) {
            unresolved[0] = true;
            return null;
        }
        if (scope.unresolved) {
            fail(scope, element, "service " + identifier + " names a type that cannot be found: check its imports,"
                    + " and whether the processor that should generate it ran");
        }
        // Claim ids only for services read to the end, so that a deferred service does not collide with itself.
        idClaims.forEach(Runnable::run);
        serviceByName.putIfAbsent(name, element.getQualifiedName().toString());
        if (scope.failed) {
            return null;
        }
        Service service = new Service(packageName, identifier, name, annotation.version(), javaName(element),
                methods, doc(element), position);
        return new ServiceModel(element, service, scope.reached);
    }

    private List<ExecutableElement> abstractMethods(TypeElement service) {
        List<ExecutableElement> methods = new ArrayList<>();
        collectAbstractMethods(service, methods, new LinkedHashSet<>());
        return methods;
    }

    private void collectAbstractMethods(TypeElement type, List<ExecutableElement> methods, Set<String> seen) {
        if (!seen.add(type.getQualifiedName().toString())) {
            return;
        }
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (method.getModifiers().contains(Modifier.ABSTRACT)) {
                methods.add(method);
            }
        }
        for (TypeMirror parent : type.getInterfaces()) {
            if (parent.getKind() == TypeKind.DECLARED) {
                collectAbstractMethods((TypeElement) ((DeclaredType) parent).asElement(), methods, seen);
            }
        }
    }

    private Method readMethod(TypeElement service, String identifier, ExecutableElement method, Scope scope,
                              List<Runnable> idClaims) {
        Scope own = new Scope();
        String javaName = method.getSimpleName().toString();
        RapaceMethod annotation = method.getAnnotation(RapaceMethod.class);
        String name = annotation == null || annotation.name().isEmpty() ? javaName : annotation.name();
        if (!isMethodName(name)) {
            fail(own, method, RAPACE_METHOD, "name", "method name \"" + name + "\" is not an IDL method name:"
                    + " dot-separated identifiers of ASCII letters, digits and _, e.g. \"Logger.log\"");
        }
        if (!method.getTypeParameters().isEmpty()) {
            fail(own, method, "generic method " + javaName + " is not supported: a service method's types must be"
                    + " concrete; remove its type parameters");
        }
        List<? extends VariableElement> parameters = method.getParameters();
        boolean streamsRequests = parameters.size() == 1 && isStream(parameters.get(0).asType());
        boolean streamsResponses = isStream(method.getReturnType());
        MethodKind inferred = streamsRequests
                ? (streamsResponses ? MethodKind.BIDI_STREAMING : MethodKind.CLIENT_STREAMING)
                : (streamsResponses ? MethodKind.SERVER_STREAMING : MethodKind.UNARY);
        MethodKind kind = inferred;
        if (annotation != null && annotation.kind().length > 1) {
            fail(own, method, RAPACE_METHOD, "kind", "kind takes one MethodKind, not " + annotation.kind().length
                    + ": leave it out to infer it from the signature");
        } else if (annotation != null && annotation.kind().length == 1 && annotation.kind()[0] != inferred) {
            fail(own, method, RAPACE_METHOD, "kind", "method " + javaName + " is declared " + annotation.kind()[0]
                    + " but its signature is " + inferred + ": " + shape(annotation.kind()[0]));
        }
        SourcePosition position = position(method);
        Parameters read;
        if (streamsRequests) {
            TypeRef element = streamElement(parameters.get(0).asType(), parameters.get(0), own);
            read = element == null ? null : new Parameters.Single(element, parameters.get(0).getSimpleName()
                    .toString());
        } else if (parameters.isEmpty()) {
            read = new Parameters.None(position);
        } else {
            List<Parameter> named = new ArrayList<>();
            for (VariableElement parameter : parameters) {
                String parameterName = parameter.getSimpleName().toString();
                if (isStream(parameter.asType())) {
                    fail(own, parameter, "RpcStream parameter " + parameterName + " must be the method's only"
                            + " parameter: a streaming method takes one RpcStream<Q> and nothing else");
                    continue;
                }
                checkIdentifier(parameter, parameterName, "parameter", own);
                TypeRef type = valueType(parameter.asType(), parameter, true, own);
                if (type != null) {
                    named.add(new Parameter(parameterName, parameterName, type, position(parameter)));
                }
            }
            if (named.size() != parameters.size()) {
                read = null;
            } else if (named.size() == 1) {
                read = new Parameters.Single(named.get(0).type(), named.get(0).javaName());
            } else {
                read = new Parameters.Named(named);
            }
        }
        TypeRef response;
        TypeMirror returnType = method.getReturnType();
        if (streamsResponses) {
            response = streamElement(returnType, method, own);
        } else if (returnType.getKind() == TypeKind.VOID) {
            response = new TypeRef.Unit(position);
        } else {
            response = valueType(returnType, method, true, own);
        }
        boolean explicitId = annotation != null && annotation.id() != 0;
        int id = explicitId ? annotation.id() : MethodIds.defaultMethodId(identifier, name);
        String qualified = identifier + "." + name;
        if (id == 0) {
            fail(own, method, RAPACE_METHOD, "id", "the default id of " + qualified + " (FNV-1a of \"" + qualified
                    + "\" folded to 32 bits) is 0, which is reserved: give the method an explicit id, e.g."
                    + " @RapaceMethod(id = 1)");
        }
        scope.reached.addAll(own.reached);
        scope.unresolved |= own.unresolved;
        // The id is claimed even when the signature has a problem, so that a duplicate is reported beside it.
        if (id != 0) {
            claimId(id, explicitId, qualified, service, method, scope, idClaims);
        }
        if (own.failed || own.unresolved || read == null || response == null || id == 0) {
            scope.failed |= own.failed || read == null || response == null || id == 0;
            return null;
        }
        return new Method(name, javaName, id, explicitId, kind, read, response, doc(method), position);
    }

    /** Claims {@code id} for {@code method} once the service is read to the end; a second claim is an error. */
    private void claimId(int id, boolean explicitId, String qualified, TypeElement service, ExecutableElement method,
                         Scope scope, List<Runnable> idClaims) {
        String where = qualified + " in " + service.getQualifiedName();
        idClaims.add(() -> {
            String first = methodById.putIfAbsent(id, where);
            if (first != null && !first.equals(where)) {
                scope.failed = true;
                if (explicitId) {
                    problems.error(method, RAPACE_METHOD, "id", "duplicate method id "
                            + Integer.toUnsignedString(id) + " (first used by " + first + ")");
                } else {
                    problems.error(method, "the default id " + Integer.toUnsignedString(id) + " of " + qualified
                            + " collides with the id of " + first + ": give one of them an explicit id with"
                            + " @RapaceMethod(id = ...)");
                }
            }
        });
    }

    private static String shape(MethodKind kind) {
        return switch (kind) {
            case UNARY -> "a unary method neither takes nor returns an RpcStream";
            case CLIENT_STREAMING -> "a client-streaming method takes one RpcStream<Q> parameter and does not"
                    + " return a stream";
            case SERVER_STREAMING -> "a server-streaming method returns RpcStream<R> and takes no stream";
            case BIDI_STREAMING -> "a bidi-streaming method takes one RpcStream<Q> parameter and returns"
                    + " RpcStream<R>";
        };
    }

    private boolean isStream(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals(RPC_STREAM);
    }

    private TypeRef streamElement(TypeMirror stream, Element at, Scope scope) {
        List<? extends TypeMirror> arguments = ((DeclaredType) stream).getTypeArguments();
        if (arguments.isEmpty()) {
            fail(scope, at, "raw type RpcStream: give the element type, e.g. RpcStream<String>");
            return null;
        }
        return valueType(arguments.get(0), at, false, scope);
    }

    /** The model type of a Java type; {@code top} when {@code at}'s declaration annotations apply to it. */
    private TypeRef valueType(TypeMirror type, Element at, boolean top, Scope scope) {
        SourcePosition position = position(at);
        boolean unsigned = has(type, Unsigned.class) || top && at.getAnnotation(Unsigned.class) != null;
        boolean codePoint = has(type, CodePoint.class) || top && at.getAnnotation(CodePoint.class) != null;
        Integer fixed = fixedLength(type);
        if (fixed == null && top && at.getAnnotation(Fixed.class) != null) {
            fixed = at.getAnnotation(Fixed.class).value();
        }
        switch (type.getKind()) {
            case ARRAY -> {
                TypeMirror component = ((ArrayType) type).getComponentType();
                if (fixed == null && component.getKind() == TypeKind.BYTE) {
                    return new TypeRef.Primitive(PrimitiveType.BYTES, position);
                }
                if (fixed == null) {
                    fail(scope, at, "array " + type + " needs a length: use @Fixed(N) for [T; N], or List<T>");
                    return null;
                }
                if (fixed < 1) {
                    fail(scope, at, "@Fixed(" + fixed + ") is not a length: a fixed array holds 1 to"
                            + " 2147483647 elements");
                    return null;
                }
                TypeRef element = arrayComponent(component, at, top, scope);
                return element == null ? null : new TypeRef.ArrayOf(element, fixed, position);
            }
            case BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, CHAR -> {
                return primitive(type.getKind(), unsigned, codePoint, type, at, scope);
            }
            case DECLARED -> {
                return declared((DeclaredType) type, at, unsigned, codePoint, scope);
            }
            case TYPEVAR -> fail(scope, at, "type variable " + type + " is not supported: service types must be"
                    + " concrete");
            case WILDCARD -> fail(scope, at, "wildcard type " + type + " is not supported: name the type itself");
            case ERROR -> {
                scope.unresolved = true;
                return null;
            }
            case VOID -> fail(scope, at, "void is only a method result: there is no void value inside a type");
            default -> fail(scope, at, "unsupported type " + type + ": " + MESSAGE_TYPES);
        }
        return null;
    }


    private TypeRef arrayComponent(TypeMirror component, Element at, boolean top, Scope scope) {
        // A declaration annotation such as @Unsigned on "@Fixed(4) @Unsigned byte[] x" means the elements.
        if (component.getKind() != TypeKind.ARRAY && top && !component.getKind().isPrimitive()
                || component.getKind() == TypeKind.ARRAY) {
            return valueType(component, at, false, scope);
        }
        if (component.getKind().isPrimitive()) {
            boolean unsigned = has(component, Unsigned.class) || top && at.getAnnotation(Unsigned.class) != null;
            boolean codePoint = has(component, CodePoint.class)
                    || top && at.getAnnotation(CodePoint.class) != null;
            return primitive(component.getKind(), unsigned, codePoint, component, at, scope);
        }
        return valueType(component, at, false, scope);
    }

    /** Whether a type use carries {@code annotation}; read from the mirrors, which javac fills for every type. */
    private static boolean has(TypeMirror type, Class<? extends java.lang.annotation.Annotation> annotation) {
        return typeAnnotation(type, annotation.getName()) != null;
    }

    private static AnnotationMirror typeAnnotation(TypeMirror type, String name) {
        for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(name)) {
                return mirror;
            }
        }
        return null;
    }

    private static Integer fixedLength(TypeMirror type) {
        AnnotationMirror fixed = typeAnnotation(type, Fixed.class.getName());
        if (fixed == null) {
            return null;
        }
        AnnotationValue value = Problems.explicitValue(fixed, "value");
        return value != null && value.getValue() instanceof Integer length ? length : null;
    }

    private TypeRef primitive(TypeKind kind, boolean unsigned, boolean codePoint, TypeMirror type, Element at,
                              Scope scope) {
        SourcePosition position = position(at);
        if (codePoint && kind != TypeKind.INT) {
            fail(scope, at, "@CodePoint is for int (an IDL char), not " + type);
            return null;
        }
        if (unsigned && (kind == TypeKind.BOOLEAN || kind == TypeKind.FLOAT || kind == TypeKind.DOUBLE
                || kind == TypeKind.CHAR)) {
            fail(scope, at, "@Unsigned is for byte, short, int, long and BigInteger, not " + type);
            return null;
        }
        if (unsigned && codePoint) {
            fail(scope, at, "@Unsigned and @CodePoint together: an int is either a u32 or a char");
            return null;
        }
        PrimitiveType primitive = switch (kind) {
            case BOOLEAN -> PrimitiveType.BOOL;
            case BYTE -> unsigned ? PrimitiveType.U8 : PrimitiveType.I8;
            case SHORT -> unsigned ? PrimitiveType.U16 : PrimitiveType.I16;
            case INT -> codePoint ? PrimitiveType.CHAR : unsigned ? PrimitiveType.U32 : PrimitiveType.I32;
            case LONG -> unsigned ? PrimitiveType.U64 : PrimitiveType.I64;
            case FLOAT -> PrimitiveType.F32;
            case DOUBLE -> PrimitiveType.F64;
            default -> null;
        };
        if (primitive == null) {
            fail(scope, at, "unsupported type " + type + ": a Java char is a UTF-16 unit, not a character; use"
                    + " @CodePoint int for an IDL char, or String");
            return null;
        }
        return new TypeRef.Primitive(primitive, position);
    }

    private TypeRef declared(DeclaredType type, Element at, boolean unsigned, boolean codePoint, Scope scope) {
        SourcePosition position = position(at);
        TypeElement element = (TypeElement) type.asElement();
        String name = element.getQualifiedName().toString();
        switch (name) {
            case "java.lang.String" -> {
                return new TypeRef.Primitive(PrimitiveType.STRING, position);
            }
            case "java.math.BigInteger" -> {
                return new TypeRef.Primitive(unsigned ? PrimitiveType.U128 : PrimitiveType.I128, position);
            }
            case "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
                 "java.lang.Float", "java.lang.Double", "java.lang.Character" -> {
                TypeMirror unboxed = types.unboxedType(type);
                return primitive(unboxed.getKind(), unsigned, codePoint, type, at, scope);
            }
            case "java.util.Optional", "java.util.List", "java.util.Map" -> {
                return generic(type, name, at, scope);
            }
            case RPC_STREAM -> {
                fail(scope, at, "RpcStream is only a whole parameter or result of a streaming method, not part"
                        + " of another type");
                return null;
            }
            case "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble" -> {
                fail(scope, at, "unsupported type " + element.getSimpleName() + ": use Optional<"
                        + (name.endsWith("Int") ? "Integer" : name.endsWith("Long") ? "Long" : "Double") + ">");
                return null;
            }
            case "java.util.Collection", "java.util.Set", "java.util.HashSet", "java.util.LinkedHashSet",
                 "java.util.SortedSet", "java.util.TreeSet", "java.lang.Iterable", "java.util.ArrayList",
                 "java.util.LinkedList", "java.util.Queue", "java.util.Deque" -> {
                fail(scope, at, "unsupported type " + element.getSimpleName() + ": use List<T>");
                return null;
            }
            case "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.SortedMap",
                 "java.util.NavigableMap" -> {
                fail(scope, at, "unsupported type " + element.getSimpleName() + ": use Map<K, V>");
                return null;
            }
            default -> {
                if (name.startsWith("java.") || name.startsWith("javax.")) {
                    fail(scope, at, "unsupported type " + name + ": " + MESSAGE_TYPES);
                    return null;
                }
            }
        }
        TypeName schemaName = declare(element, at, scope);
        return schemaName == null ? null : new TypeRef.Declared(schemaName, position);
    }

    private TypeRef generic(DeclaredType type, String name, Element at, Scope scope) {
        String simple = name.substring(name.lastIndexOf('.') + 1);
        List<? extends TypeMirror> arguments = type.getTypeArguments();
        if (arguments.isEmpty()) {
            fail(scope, at, "raw type " + simple + ": give its type arguments, e.g. "
                    + (simple.equals("Map") ? "Map<String, Long>" : simple + "<String>"));
            return null;
        }
        for (TypeMirror argument : arguments) {
            if (argument.getKind() == TypeKind.WILDCARD) {
                fail(scope, at, "wildcard type " + type + " is not supported: name the element type, e.g. "
                        + simple + "<String>");
                return null;
            }
        }
        SourcePosition position = position(at);
        TypeRef first = valueType(arguments.get(0), at, false, scope);
        if (simple.equals("Map")) {
            TypeRef value = valueType(arguments.get(1), at, false, scope);
            return first == null || value == null ? null : new TypeRef.MapOf(first, value, position);
        }
        if (first == null) {
            return null;
        }
        return simple.equals("List") ? new TypeRef.ListOf(first, position) : new TypeRef.OptionOf(first, position);
    }

    /** The schema name of a record, enum or sealed interface, reading it the first time it is seen. */
    private TypeName declare(TypeElement element, Element at, Scope scope) {
        String key = element.getQualifiedName().toString();
        scope.reached.add(key);
        TypeDecl known = declarations.get(key);
        if (known != null) {
            return known.name();
        }
        if (failedTypes.contains(key)) {
            scope.failed = true;
            return null;
        }
        TypeName pending = inProgress.get(key);
        if (pending != null) {
            return pending;
        }
        String simple = element.getSimpleName().toString();
        String what = describeKind(element);
        boolean record = element.getKind() == ElementKind.RECORD;
        boolean enumeration = element.getKind() == ElementKind.ENUM;
        boolean sealed = element.getKind() == ElementKind.INTERFACE && element.getModifiers().contains(Modifier.SEALED);
        if (!record && !enumeration && !sealed) {
            failedTypes.add(key);
            if (element.getKind() == ElementKind.CLASS) {
                fail(scope, at, "mutable class " + key + " is not supported: message types are immutable; make it a"
                        + " record (struct), an enum, or a sealed interface of records (enum with data)");
            } else {
                fail(scope, at, "unsupported type " + key + " (" + what + "): " + MESSAGE_TYPES);
            }
            return null;
        }
        Scope own = new Scope();
        TypeName schemaName = new TypeName(elements.getPackageOf(element).getQualifiedName().toString(), simple);
        String clash = classBySchemaName.putIfAbsent(schemaName, key);
        if (clash != null && !clash.equals(key)) {
            fail(own, element, "two message types would have the schema name " + schemaName + ": " + clash
                    + " and " + key + "; rename one");
        }
        if (!element.getTypeParameters().isEmpty()) {
            fail(own, element, "generic " + what + " " + simple + " is not supported: message types must be"
                    + " concrete");
        }
        checkIdentifier(element, simple, what, own);
        checkReachable(element, element, own);
        inProgress.put(key, schemaName);
        TypeDecl declaration = null;
        try {
            if (record) {
                List<Field> fields = fields(element, own);
                declaration = new StructDecl(schemaName, javaName(element), fields, doc(element), position(element));
            } else if (enumeration) {
                declaration = unitEnum(element, schemaName, own);
            } else {
                declaration = dataEnum(element, schemaName, own);
            }
        } finally {
            inProgress.remove(key);
        }
        dependencies.put(key, own.reached);
        if (own.unresolved) {
            scope.unresolved = true;
            return null;
        }
        if (own.failed || declaration == null) {
            failedTypes.add(key);
            scope.failed = true;
            return null;
        }
        declarations.put(key, declaration);
        return schemaName;
    }

    private List<Field> fields(TypeElement record, Scope scope) {
        List<Field> fields = new ArrayList<>();
        for (RecordComponentElement component : record.getRecordComponents()) {
            String name = component.getSimpleName().toString();
            checkIdentifier(component, name, "record component", scope);
            TypeRef type = valueType(component.asType(), site(record, component), true, scope);
            if (type != null) {
                fields.add(new Field(name, name, type, "", position(component)));
            }
        }
        return fields;
    }

    /**
     * Where to report a problem of a record component: its field, which javac places on the component in the record
     * header (javac 17 gives the component element itself no position). The field also carries the component's
     * declaration annotations.
     */
    private static Element site(TypeElement record, RecordComponentElement component) {
        for (VariableElement field : ElementFilter.fieldsIn(record.getEnclosedElements())) {
            if (field.getSimpleName().contentEquals(component.getSimpleName())
                    && !field.getModifiers().contains(Modifier.STATIC)) {
                return field;
            }
        }
        return component;
    }

    private EnumDecl unitEnum(TypeElement element, TypeName schemaName, Scope scope) {
        List<Variant> variants = new ArrayList<>();
        JavaClassName javaName = javaName(element);
        for (Element constant : element.getEnclosedElements()) {
            if (constant.getKind() == ElementKind.ENUM_CONSTANT) {
                String javaConstant = constant.getSimpleName().toString();
                checkIdentifier(constant, javaConstant, "enum constant", scope);
                String name = idlVariantName(javaConstant);
                variants.add(new Variant(name, variants.size(), true, List.of(), javaConstant,
                        javaName.nested(name), doc(constant), position(constant)));
            }
        }
        if (variants.isEmpty()) {
            fail(scope, element, "enum " + element.getSimpleName() + " has no constants: an IDL enum needs at least"
                    + " one variant");
            return null;
        }
        return scope.failed ? null : new EnumDecl(schemaName, javaName, variants, doc(element), position(element));
    }

    private EnumDecl dataEnum(TypeElement element, TypeName schemaName, Scope scope) {
        if (!hasPermitsClause(element)) {
            fail(scope, element, "sealed interface " + element.getSimpleName() + " needs an explicit permits clause:"
                    + " its order is the variant index order on the wire, e.g. sealed interface "
                    + element.getSimpleName() + " permits A, B");
            return null;
        }
        List<Variant> variants = new ArrayList<>();
        for (TypeMirror permitted : element.getPermittedSubclasses()) {
            TypeElement variant = (TypeElement) types.asElement(permitted);
            if (variant == null || variant.getKind() != ElementKind.RECORD) {
                fail(scope, element, "permitted type " + permitted + " of sealed interface " + element.getSimpleName()
                        + " is not a record: each variant of an enum with data is a record");
                continue;
            }
            String name = variant.getSimpleName().toString();
            checkIdentifier(variant, name, "record", scope);
            checkReachable(variant, variant, scope);
            if (!variant.getTypeParameters().isEmpty()) {
                fail(scope, variant, "generic record " + name + " is not supported: message types must be concrete");
                continue;
            }
            List<Field> fields = fields(variant, scope);
            variants.add(new Variant(name, variants.size(), fields.isEmpty(), fields,
                    io.rapace.idl.model.JavaNames.enumConstant(name), javaName(variant), doc(variant),
                    position(variant)));
        }
        if (variants.isEmpty() && !scope.failed) {
            fail(scope, element, "sealed interface " + element.getSimpleName() + " permits no records: an IDL enum"
                    + " needs at least one variant");
        }
        return scope.failed ? null : new EnumDecl(schemaName, javaName(element), variants, doc(element),
                position(element));
    }

    private boolean hasPermitsClause(TypeElement element) {
        if (trees == null) {
            return true;
        }
        Tree tree = trees.getTree(element);
        if (tree instanceof ClassTree classTree) {
            return !classTree.getPermitsClause().isEmpty();
        }
        return true;  // compiled earlier: the class file lists its permitted subclasses in order either way
    }

    /** {@code PLUGIN_LOADED} to {@code PluginLoaded}; a constant not in UPPER_SNAKE_CASE stays as written. */
    static String idlVariantName(String constant) {
        if (!constant.equals(constant.toUpperCase(Locale.ROOT))) {
            return constant;
        }
        StringBuilder name = new StringBuilder(constant.length());
        for (String word : constant.split("_")) {
            if (!word.isEmpty()) {
                name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return name.length() == 0 ? constant : name.toString();
    }

    private void checkReachable(TypeElement type, Element at, Scope scope) {
        for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
            if (t.getNestingKind() == NestingKind.LOCAL || t.getNestingKind() == NestingKind.ANONYMOUS) {
                fail(scope, at, type.getSimpleName() + " is a local class, which generated code cannot reach:"
                        + " declare it at the top level or as a member of a class");
                return;
            }
            if (t.getModifiers().contains(Modifier.PRIVATE)) {
                fail(scope, at, type.getQualifiedName() + " is private, so the generated code cannot reach it: make"
                        + " it package-private or public");
                return;
            }
        }
    }

    private void checkIdentifier(Element element, String name, String what, Scope scope) {
        if (!IDENTIFIER.matcher(name).matches()) {
            fail(scope, element, what + " name " + name + " is not an IDL identifier: use ASCII letters, digits"
                    + " and _ only");
        }
    }

    private static boolean isMethodName(String name) {
        for (String segment : name.split("\\.", -1)) {
            if (!IDENTIFIER.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    private void fail(Scope scope, Element at, String message) {
        scope.failed = true;
        problems.error(at, message);
    }

    private void fail(Scope scope, Element at, String annotation, String member, String message) {
        scope.failed = true;
        problems.error(at, annotation, member, message);
    }

    private JavaClassName javaName(TypeElement element) {
        List<String> names = new ArrayList<>();
        Element e = element;
        while (e instanceof TypeElement) {
            names.add(0, e.getSimpleName().toString());
            e = e.getEnclosingElement();
        }
        return new JavaClassName(elements.getPackageOf(element).getQualifiedName().toString(), names);
    }

    /** The top-level class an element is declared in: the generated headers name it as the source. */
    private SourcePosition position(Element element) {
        Element e = element;
        while (e != null && !(e instanceof TypeElement && e.getEnclosingElement() != null
                && e.getEnclosingElement().getKind() == ElementKind.PACKAGE)) {
            e = e.getEnclosingElement();
        }
        return SourcePosition.of(e == null ? element.toString() : ((TypeElement) e).getQualifiedName().toString());
    }

    /** The Javadoc as IDL docs keep it: lines without the one leading space and trailing blanks, trimmed. */
    private String doc(Element element) {
        String comment = elements.getDocComment(element);
        if (comment == null) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        for (String line : comment.split("\r\n|\r|\n", -1)) {
            String kept = line.startsWith(" ") ? line.substring(1) : line;
            lines.add(kept.stripTrailing());
        }
        while (!lines.isEmpty() && lines.get(0).isEmpty()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return String.join("\n", lines);
    }

    private static String describeKind(Element element) {
        return switch (element.getKind()) {
            case CLASS -> "a class";
            case ENUM -> "an enum";
            case RECORD -> "a record";
            case ANNOTATION_TYPE -> "an annotation type";
            case INTERFACE -> "an interface";
            default -> element.getKind().toString().toLowerCase(Locale.ROOT);
        };
    }
}
