package io.rapace.idl.parse;

import io.rapace.annotation.MethodKind;
import io.rapace.idl.model.JavaNames;
import io.rapace.idl.model.MethodIds;
import io.rapace.idl.model.MethodKinds;
import io.rapace.idl.model.PrimitiveType;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.TypeName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic checks, over all files read together: names (keywords, duplicates, Java names that clash), type
 * resolution with suggestions, where {@code ()} may stand, map keys, types with no finite value, streaming element
 * types, and method ids. Each problem is reported where it occurs (the second occurrence for a duplicate) and names
 * the other place involved.
 */
final class Checker {

    /** The IDL's keywords; they cannot name a type or a service. */
    static final Set<String> KEYWORDS = Set.of("package", "import", "struct", "enum", "service", "version",
            "unary", "client_streaming", "server_streaming", "bidi_streaming");

    /** The built-in type names, which cannot name a type either, in the order suggestions prefer them. */
    static final List<String> BUILTIN_TYPES;

    static {
        List<String> names = new ArrayList<>();
        for (PrimitiveType type : PrimitiveType.values()) {
            names.add(type.idlName());
        }
        names.addAll(List.of("option", "list", "map"));
        BUILTIN_TYPES = List.copyOf(names);
    }

    private static final String MAP_KEYS = "keys are integers, `bool`, `string`, `char` or enums with unit variants"
            + " only";

    /** What the model needs from the checks. */
    static final class Resolution {
        /** The schema name of each type. */
        final Map<Ast.TypeDef, TypeName> typeNames = new IdentityHashMap<>();
        /** The type each named type use refers to. */
        final Map<Ast.NamedType, Ast.TypeDef> references = new IdentityHashMap<>();
        /** The id of each method. */
        final Map<Ast.MethodDef, Integer> ids = new IdentityHashMap<>();
    }

    /** Who holds a Java class name in a package, for the messages about a second holder. */
    private record JavaClassOwner(String description, String idlName, boolean isService, Source source, int offset,
                                  String generatedBy) {
    }

    /** Where a service name was first used. */
    private record ServiceNameUse(Ast.ServiceDef service, Loader.Unit unit) {
    }

    /** Where a method id was first used. */
    private record IdUse(String service, String method, boolean byDefault, Source source, int offset) {
    }

    private enum Use { FIELD, PARAMETER, ARGUMENT, RESULT }

    private final List<Loader.Unit> units;
    private final Reporter reporter;
    private final Resolution resolution = new Resolution();
    private final Map<Ast.TypeDef, Loader.Unit> typeOwners = new IdentityHashMap<>();
    private final Map<String, List<Ast.TypeDef>> typesEverywhere = new HashMap<>();

    private Checker(List<Loader.Unit> units, Reporter reporter) {
        this.units = units;
        this.reporter = reporter;
    }

    /** Checks {@code units} (in the order given, which decides which of two duplicates is reported). */
    static Resolution check(List<Loader.Unit> units, Reporter reporter) {
        Checker checker = new Checker(units, reporter);
        checker.declarations();
        for (Loader.Unit unit : units) {
            checker.members(unit);
        }
        for (Loader.Unit unit : units) {
            checker.typeUses(unit);
        }
        checker.finiteValues();
        checker.methods();
        return checker.resolution;
    }

    // ---------------------------------------------------------------- declarations

    private void declarations() {
        Map<String, JavaClassOwner> javaClasses = new HashMap<>();
        Map<String, ServiceNameUse> serviceNames = new HashMap<>();
        for (Loader.Unit unit : units) {
            String packageName = unit.ast.packageText();
            String javaPackage = JavaNames.javaPackage(packageName);
            for (Ast.Declaration declaration : unit.ast.declarations()) {
                Ast.Name name = declaration.name();
                String what = declaration instanceof Ast.ServiceDef ? "service" : "type";
                if (KEYWORDS.contains(name.text())) {
                    error(unit, name.offset(), Text.quote(name.text()) + " is a keyword and cannot name a " + what);
                } else if (BUILTIN_TYPES.contains(name.text())) {
                    error(unit, name.offset(), Text.quote(name.text()) + " is a built-in type and cannot name a "
                            + what);
                }
                String description = kind(declaration) + " " + Text.quote(name.text());
                boolean isService = declaration instanceof Ast.ServiceDef;
                String javaName = JavaNames.typeName(name.text());
                boolean first = claim(javaClasses, javaPackage, javaName, new JavaClassOwner(description,
                        name.text(), isService, unit.source, name.offset(), null), packageName);
                if (declaration instanceof Ast.TypeDef type) {
                    if (first) {
                        claim(javaClasses, javaPackage, javaName + "Codec", new JavaClassOwner(description,
                                name.text(), false, unit.source, name.offset(), javaName + "Codec"), packageName);
                    }
                    resolution.typeNames.put(type, new TypeName(packageName, name.text()));
                    typeOwners.put(type, unit);
                    typesEverywhere.computeIfAbsent(name.text(), key -> new ArrayList<>()).add(type);
                } else {
                    Ast.ServiceDef service = (Ast.ServiceDef) declaration;
                    if (first) {
                        for (String suffix : List.of("Client", "Dispatcher", "Descriptor")) {
                            claim(javaClasses, javaPackage, javaName + suffix, new JavaClassOwner(description,
                                    name.text(), true, unit.source, name.offset(), javaName + suffix), packageName);
                        }
                    }
                    serviceName(unit, service, packageName, first ? serviceNames : new HashMap<>());
                }
            }
        }
    }

    private static String kind(Ast.Declaration declaration) {
        if (declaration instanceof Ast.StructDef) {
            return "struct";
        }
        return declaration instanceof Ast.EnumDef ? "enum" : "service";
    }

    /** Claims the Java class {@code javaPackage.javaName} for {@code owner}; reports and is false for a second claim. */
    private boolean claim(Map<String, JavaClassOwner> javaClasses, String javaPackage, String javaName,
                       JavaClassOwner owner, String packageName) {
        String qualified = javaPackage.isEmpty() ? javaName : javaPackage + "." + javaName;
        JavaClassOwner first = javaClasses.putIfAbsent(qualified, owner);
        if (first == null) {
            return true;
        }
        String where = first.source().where(first.offset());
        String inPackage = packageName.isEmpty() ? "" : " in package " + Text.quote(packageName);
        String message;
        if (owner.generatedBy() != null) {
            message = owner.description() + " generates the class " + Text.quote(javaName) + ", which "
                    + first.description() + " at " + where + " already names";
        } else if (first.generatedBy() != null) {
            message = owner.description() + " clashes with the class " + Text.quote(first.generatedBy())
                    + " generated for " + first.description() + " at " + where;
        } else if (first.idlName().equals(owner.idlName()) && first.isService() == owner.isService()) {
            message = "duplicate " + (owner.isService() ? "service " : "type ") + Text.quote(owner.idlName())
                    + inPackage + " (first declared at " + where + ")";
        } else if (first.idlName().equals(owner.idlName())) {
            message = Text.quote(owner.idlName()) + " is already declared" + inPackage + ": "
                    + first.description() + " at " + where;
        } else {
            message = owner.description() + " and " + first.description() + " (at " + where
                    + ") both become the Java class " + Text.quote(qualified);
        }
        reporter.error(owner.source(), owner.offset(), message);
        return false;
    }

    private void serviceName(Loader.Unit unit, Ast.ServiceDef service, String packageName,
                             Map<String, ServiceNameUse> serviceNames) {
        if (service.version() != null && !Service.isValidVersion(service.version().value())) {
            error(unit, service.version().offset(), "version " + Text.quote(service.version().value())
                    + " is not MAJOR.MINOR (two numbers without leading zeros), as in `version 1.0`");
        }
        String name;
        int offset;
        if (service.serviceName() != null) {
            if (!service.serviceName().valid()) {
                return;
            }
            name = service.serviceName().value();
            offset = service.serviceName().offset();
            if (name.isEmpty()) {
                error(unit, offset, "the service name is empty; leave it out for the default "
                        + Text.quote(Service.defaultName(packageName, service.name().text())));
                return;
            }
            if (name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                error(unit, offset, "the service name " + Text.quote(name)
                        + " contains a space or a control character");
                return;
            }
        } else {
            name = Service.defaultName(packageName, service.name().text());
            offset = service.name().offset();
        }
        ServiceNameUse first = serviceNames.putIfAbsent(name, new ServiceNameUse(service, unit));
        if (first != null) {
            error(unit, offset, "duplicate service name " + Text.quote(name) + " (first used by service "
                    + Text.quote(first.service().name().text()) + " at "
                    + first.unit().source.where(first.service().name().offset()) + ")");
        }
    }

    // ---------------------------------------------------------------- members

    private void members(Loader.Unit unit) {
        for (Ast.Declaration declaration : unit.ast.declarations()) {
            if (declaration instanceof Ast.StructDef struct) {
                fields(unit, "struct " + Text.quote(struct.name().text()), struct.fields());
            } else if (declaration instanceof Ast.EnumDef enumeration) {
                variants(unit, enumeration);
            } else {
                serviceMembers(unit, (Ast.ServiceDef) declaration);
            }
        }
    }

    private void fields(Loader.Unit unit, String owner, List<Ast.FieldDef> fields) {
        Map<String, Ast.Name> names = new HashMap<>();
        Map<String, Ast.Name> javaNames = new HashMap<>();
        for (Ast.FieldDef field : fields) {
            unique(unit, "field", owner, field.name(), JavaNames.fieldName(field.name().text()), names, javaNames);
        }
    }

    /** Reports a second {@code name} in one scope, or a second name with the same Java name. */
    private void unique(Loader.Unit unit, String what, String owner, Ast.Name name, String javaName,
                        Map<String, Ast.Name> names, Map<String, Ast.Name> javaNames) {
        Ast.Name first = names.putIfAbsent(name.text(), name);
        if (first != null) {
            error(unit, name.offset(), "duplicate " + what + " " + Text.quote(name.text()) + " in " + owner
                    + " (first declared at " + unit.source.where(first.offset()) + ")");
            return;
        }
        Ast.Name firstJava = javaNames.putIfAbsent(javaName, name);
        if (firstJava != null) {
            error(unit, name.offset(), what + " " + Text.quote(name.text()) + " and " + what + " "
                    + Text.quote(firstJava.text()) + " (at " + unit.source.where(firstJava.offset())
                    + ") both become " + Text.quote(javaName) + " in Java");
        }
    }

    private void variants(Loader.Unit unit, Ast.EnumDef enumeration) {
        String owner = "enum " + Text.quote(enumeration.name().text());
        if (enumeration.variants().isEmpty() && !enumeration.broken()) {
            error(unit, enumeration.name().offset(), owner + " has no variants; an enum needs at least one");
            return;
        }
        boolean unitOnly = enumeration.variants().stream().allMatch(Ast.VariantDef::unit);
        Map<String, Ast.Name> names = new HashMap<>();
        Map<String, Ast.Name> javaNames = new HashMap<>();
        for (Ast.VariantDef variant : enumeration.variants()) {
            String name = variant.name().text();
            if (name.equals(enumeration.name().text())) {
                error(unit, variant.name().offset(), "variant " + Text.quote(name)
                        + " has the name of its enum; a variant cannot be named like the enum it is in");
            }
            String javaName = unitOnly ? JavaNames.enumConstant(name) : JavaNames.typeName(name);
            unique(unit, "variant", owner, variant.name(), javaName, names, javaNames);
            fields(unit, "variant " + Text.quote(name), variant.fields());
        }
    }

    private void serviceMembers(Loader.Unit unit, Ast.ServiceDef service) {
        String owner = "service " + Text.quote(service.name().text());
        Map<String, Ast.Name> names = new HashMap<>();
        Map<String, Ast.Name> javaNames = new HashMap<>();
        for (Ast.MethodDef method : service.methods()) {
            unique(unit, "method", owner, method.name(), JavaNames.methodName(method.name().text()), names,
                    javaNames);
            if (method.params() instanceof Ast.NamedParams named) {
                String methodOwner = "method " + Text.quote(method.name().text());
                Map<String, Ast.Name> parameterNames = new HashMap<>();
                Map<String, Ast.Name> parameterJavaNames = new HashMap<>();
                for (Ast.ParamDef parameter : named.params()) {
                    unique(unit, "parameter", methodOwner, parameter.name(),
                            JavaNames.fieldName(parameter.name().text()), parameterNames, parameterJavaNames);
                }
            }
        }
    }

    // ---------------------------------------------------------------- type uses

    private void typeUses(Loader.Unit unit) {
        Map<String, List<Ast.TypeDef>> visible = new LinkedHashMap<>();
        Map<String, Ast.ServiceDef> services = new HashMap<>();
        addVisible(unit, visible, services);
        for (Loader.Unit imported : unit.imports) {
            addVisible(imported, visible, services);
        }
        Scope scope = new Scope(unit, visible, services);
        for (Ast.Declaration declaration : unit.ast.declarations()) {
            if (declaration instanceof Ast.StructDef struct) {
                for (Ast.FieldDef field : struct.fields()) {
                    use(scope, field.type(), Use.FIELD, false);
                }
            } else if (declaration instanceof Ast.EnumDef enumeration) {
                for (Ast.VariantDef variant : enumeration.variants()) {
                    for (Ast.FieldDef field : variant.fields()) {
                        use(scope, field.type(), Use.FIELD, false);
                    }
                }
            } else {
                for (Ast.MethodDef method : ((Ast.ServiceDef) declaration).methods()) {
                    params(scope, method.params());
                    if (method.result() != null) {
                        use(scope, method.result(), Use.RESULT, false);
                    }
                }
            }
        }
    }

    private void params(Scope scope, Ast.Params params) {
        if (params instanceof Ast.SingleParam single) {
            use(scope, single.type(), Use.ARGUMENT, false);
        } else if (params instanceof Ast.NamedParams named) {
            for (Ast.ParamDef parameter : named.params()) {
                use(scope, parameter.type(), Use.PARAMETER, false);
            }
        } else if (params instanceof Ast.BrokenParams broken) {
            for (Ast.ParamDef parameter : broken.named()) {
                use(scope, parameter.type(), Use.PARAMETER, false);
            }
            for (Ast.Type type : broken.unnamed()) {
                use(scope, type, Use.ARGUMENT, false);
            }
        }
    }

    private static void addVisible(Loader.Unit unit, Map<String, List<Ast.TypeDef>> visible,
                                   Map<String, Ast.ServiceDef> services) {
        for (Ast.Declaration declaration : unit.ast.declarations()) {
            if (declaration instanceof Ast.TypeDef type) {
                List<Ast.TypeDef> named = visible.computeIfAbsent(type.name().text(), key -> new ArrayList<>());
                if (named.stream().noneMatch(other -> other == type)) {
                    named.add(type);
                }
            } else {
                services.putIfAbsent(declaration.name().text(), (Ast.ServiceDef) declaration);
            }
        }
    }

    /** The types a file can name: its own and those of the files it imports directly. */
    private record Scope(Loader.Unit unit, Map<String, List<Ast.TypeDef>> types,
                         Map<String, Ast.ServiceDef> services) {
    }

    /** Resolves and checks one use of a type; {@code nested} when it is inside another type. */
    private void use(Scope scope, Ast.Type type, Use use, boolean nested) {
        Loader.Unit unit = scope.unit();
        if (type instanceof Ast.UnitType) {
            if (nested) {
                error(unit, type.offset(), "`()` can only be a whole method argument or result, not part of"
                        + " another type");
            } else if (use == Use.FIELD || use == Use.PARAMETER) {
                error(unit, type.offset(), "`()` can only be a whole method argument or result, not the type of a "
                        + (use == Use.FIELD ? "field" : "parameter"));
            }
        } else if (type instanceof Ast.NamedType named) {
            resolve(scope, named);
        } else if (type instanceof Ast.OptionType option) {
            use(scope, option.element(), use, true);
        } else if (type instanceof Ast.ListType list) {
            use(scope, list.element(), use, true);
        } else if (type instanceof Ast.ArrayType array) {
            use(scope, array.element(), use, true);
        } else if (type instanceof Ast.MapType map) {
            use(scope, map.key(), use, true);
            use(scope, map.value(), use, true);
            mapKey(unit, map.key());
        }
    }

    private void resolve(Scope scope, Ast.NamedType named) {
        Loader.Unit unit = scope.unit();
        String name = named.name().text();
        List<Ast.TypeDef> candidates = scope.types().get(name);
        if (candidates != null) {
            Ast.TypeDef first = candidates.get(0);
            resolution.references.put(named, first);
            for (Ast.TypeDef other : candidates) {
                if (!resolution.typeNames.get(other).equals(resolution.typeNames.get(first))) {
                    error(unit, named.offset(), Text.quote(name) + " is ambiguous: it names "
                            + resolution.typeNames.get(first) + " (at " + where(first) + ") and "
                            + resolution.typeNames.get(other) + " (at " + where(other) + ")");
                    break;
                }
            }
            return;
        }
        Ast.ServiceDef service = scope.services().get(name);
        if (service != null) {
            error(unit, named.offset(), Text.quote(name) + " is a service, not a type");
            return;
        }
        List<Ast.TypeDef> elsewhere = typesEverywhere.get(name);
        if (elsewhere != null) {
            Loader.Unit owner = typeOwners.get(elsewhere.get(0));
            error(unit, named.offset(), "unknown type " + Text.quote(name) + "; it is declared in "
                    + Text.quote(owner.location.name()) + ", which this file does not import (add `import \""
                    + SourceFiles.importPath(unit.location, owner.location) + "\";`)");
            return;
        }
        List<String> known = new ArrayList<>(scope.types().keySet());
        known.addAll(BUILTIN_TYPES);
        error(unit, named.offset(), "unknown type " + Text.quote(name) + Text.didYouMean(name, known));
    }

    private void mapKey(Loader.Unit unit, Ast.Type key) {
        String problem = null;
        if (key instanceof Ast.Builtin builtin) {
            PrimitiveType type = builtin.type();
            if (!type.isInteger() && type != PrimitiveType.BOOL && type != PrimitiveType.STRING
                    && type != PrimitiveType.CHAR) {
                problem = "";
            }
        } else if (key instanceof Ast.NamedType named) {
            Ast.TypeDef type = resolution.references.get(named);
            if (type instanceof Ast.StructDef) {
                problem = ", a struct (at " + where(type) + ")";
            } else if (type instanceof Ast.EnumDef enumeration
                    && !enumeration.variants().stream().allMatch(Ast.VariantDef::unit)) {
                problem = ", an enum with data (at " + where(type) + ")";
            }
        } else if (!(key instanceof Ast.BrokenType) && !(key instanceof Ast.UnitType)) {
            problem = "";
        }
        if (problem != null) {
            error(unit, key.offset(), "unsupported map key " + Text.quote(Ast.render(key)) + problem + "; "
                    + MAP_KEYS);
        }
    }

    // ---------------------------------------------------------------- finite values

    /**
     * Finds the types no finite value has: a struct needs all its fields, an enum one of its variants. Fields of
     * {@code option}, {@code list} and {@code map} type need nothing (they can be empty); a fixed array needs its
     * element type. Worklist over "needs" edges, so the cost is linear in the number of fields.
     */
    private void finiteValues() {
        Map<Object, Integer> missing = new IdentityHashMap<>();
        Map<Ast.TypeDef, List<Object>> dependents = new IdentityHashMap<>();
        Map<Ast.VariantDef, Ast.EnumDef> enumOf = new IdentityHashMap<>();
        Set<Ast.TypeDef> inhabited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Ast.TypeDef> work = new ArrayDeque<>();
        List<Ast.TypeDef> all = new ArrayList<>();
        for (Loader.Unit unit : units) {
            for (Ast.Declaration declaration : unit.ast.declarations()) {
                if (declaration instanceof Ast.StructDef struct) {
                    all.add(struct);
                    if (needs(struct, struct.fields(), missing, dependents) == 0 && inhabited.add(struct)) {
                        work.add(struct);
                    }
                } else if (declaration instanceof Ast.EnumDef enumeration) {
                    all.add(enumeration);
                    boolean any = enumeration.variants().isEmpty();
                    for (Ast.VariantDef variant : enumeration.variants()) {
                        enumOf.put(variant, enumeration);
                        any |= needs(variant, variant.fields(), missing, dependents) == 0;
                    }
                    if (any && inhabited.add(enumeration)) {
                        work.add(enumeration);
                    }
                }
            }
        }
        while (!work.isEmpty()) {
            for (Object dependent : dependents.getOrDefault(work.poll(), List.of())) {
                int left = missing.merge(dependent, -1, Integer::sum);
                Ast.TypeDef type = dependent instanceof Ast.VariantDef variant ? enumOf.get(variant)
                        : (Ast.TypeDef) dependent;
                if (left == 0 && inhabited.add(type)) {
                    work.add(type);
                }
            }
        }
        for (Ast.TypeDef type : all) {
            if (!inhabited.contains(type)) {
                Loader.Unit unit = typeOwners.get(type);
                error(unit, type.name().offset(), "type " + Text.quote(type.name().text()) + " has no finite value:"
                        + " every value contains another without end (" + endlessPath(type, inhabited)
                        + "); make a field on the way an option, list or map");
            }
        }
    }

    /** Counts what {@code owner} (a struct or a variant) needs and records it as a dependent of each. */
    private int needs(Object owner, List<Ast.FieldDef> fields, Map<Object, Integer> missing,
                      Map<Ast.TypeDef, List<Object>> dependents) {
        int count = 0;
        for (Ast.FieldDef field : fields) {
            Ast.TypeDef needed = needed(field.type());
            if (needed != null) {
                dependents.computeIfAbsent(needed, key -> new ArrayList<>()).add(owner);
                count++;
            }
        }
        missing.put(owner, count);
        return count;
    }

    /** The declared type a value of {@code type} always contains, or {@code null}. */
    private Ast.TypeDef needed(Ast.Type type) {
        if (type instanceof Ast.NamedType named) {
            return resolution.references.get(named);
        }
        if (type instanceof Ast.ArrayType array) {
            return needed(array.element());
        }
        return null;
    }

    /** {@code Node.next -> Node}: fields that lead from {@code start} back to a type already on the way. */
    private String endlessPath(Ast.TypeDef start, Set<Ast.TypeDef> inhabited) {
        StringBuilder path = new StringBuilder();
        Set<Ast.TypeDef> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Ast.TypeDef current = start;
        for (int step = 0; step < 8 && seen.add(current); step++) {
            String label = current.name().text();
            List<Ast.FieldDef> fields;
            if (current instanceof Ast.StructDef struct) {
                fields = struct.fields();
            } else {
                Ast.VariantDef variant = ((Ast.EnumDef) current).variants().get(0);
                label += "." + variant.name().text();
                fields = variant.fields();
            }
            for (Ast.FieldDef field : fields) {
                Ast.TypeDef needed = needed(field.type());
                if (needed != null && !inhabited.contains(needed)) {
                    path.append(label).append('.').append(field.name().text()).append(" -> ");
                    current = needed;
                    break;
                }
            }
        }
        if (!seen.contains(current)) {
            return path.append("...").toString();
        }
        return path.append(current.name().text()).toString();
    }

    // ---------------------------------------------------------------- methods

    private void methods() {
        Map<Integer, IdUse> ids = new HashMap<>();
        for (Loader.Unit unit : units) {
            for (Ast.Declaration declaration : unit.ast.declarations()) {
                if (declaration instanceof Ast.ServiceDef service) {
                    for (Ast.MethodDef method : service.methods()) {
                        streaming(unit, method);
                        id(unit, service, method, ids);
                    }
                }
            }
        }
    }

    private void streaming(Loader.Unit unit, Ast.MethodDef method) {
        MethodKind kind = method.kind();
        if (kind == null) {
            return;
        }
        String name = method.name().text();
        String described = MethodKinds.idlKeyword(kind) + " method " + Text.quote(name);
        if (kind.streamsRequests()) {
            if (method.params() instanceof Ast.NoParams) {
                error(unit, method.name().offset(), described + " needs the element type of its request stream,"
                        + " as in `" + name + "(T)`");
            } else if (method.params() instanceof Ast.NamedParams named) {
                error(unit, named.params().get(0).name().offset(), described + " streams one element type, not"
                        + " named parameters; write `" + name + "(T)` with a struct T holding them");
            }
        }
        if (kind.streamsResponses()
                && (method.result() == null || method.result() instanceof Ast.UnitType)) {
            int offset = method.result() == null ? method.name().offset() : method.result().offset();
            error(unit, offset, described + " needs the element type of its response stream, as in `-> T`");
        }
    }

    private void id(Loader.Unit unit, Ast.ServiceDef service, Ast.MethodDef method, Map<Integer, IdUse> ids) {
        String serviceName = service.name().text();
        String name = method.name().text();
        int id;
        int offset;
        String note = "";
        if (method.id() != null) {
            Ast.IdLiteral literal = method.id();
            offset = literal.offset();
            if (literal.value() == Token.TOO_LARGE || literal.value() > 0xFFFF_FFFFL) {
                error(unit, offset, "method id " + Text.quote(literal.text()) + " is out of range; ids are"
                        + " unsigned 32-bit numbers, 1 to 4294967295 (0xFFFFFFFF)");
                return;
            }
            if (literal.value() == 0) {
                error(unit, offset, "method id 0 is reserved; use 1 to 4294967295 (0xFFFFFFFF), or leave the id"
                        + " out for the default");
                return;
            }
            id = (int) literal.value();
        } else {
            offset = method.name().offset();
            id = MethodIds.defaultMethodId(serviceName, name);
            note = "the default id of " + serviceName + "." + name + "; ";
            if (id == 0) {
                error(unit, offset, "the default id of " + serviceName + "." + name + " is 0, which is reserved;"
                        + " give the method an id");
                return;
            }
        }
        resolution.ids.put(method, id);
        IdUse first = ids.putIfAbsent(id, new IdUse(serviceName, name, method.id() == null, unit.source,
                method.offset()));
        boolean sameMethod = first != null && first.service().equals(serviceName) && first.method().equals(name);
        if (first != null && !(sameMethod && method.id() == null)) {
            String firstMethod = first.method() + (first.service().equals(serviceName) ? ""
                    : " in service " + first.service()) + (first.byDefault() ? " (as its default id)" : "");
            error(unit, offset, "duplicate method id " + MethodIds.toUnsignedString(id) + " (" + note
                    + "first used by " + firstMethod + " at " + first.source().where(first.offset()) + ")");
        }
    }

    // ---------------------------------------------------------------- helpers

    private String where(Ast.TypeDef type) {
        return typeOwners.get(type).source.where(type.name().offset());
    }

    private void error(Loader.Unit unit, int offset, String message) {
        reporter.error(unit.source, offset, message);
    }
}
