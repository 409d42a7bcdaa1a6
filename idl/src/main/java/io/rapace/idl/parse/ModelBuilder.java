package io.rapace.idl.parse;

import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.JavaClassName;
import io.rapace.idl.model.JavaNames;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.Parameter;
import io.rapace.idl.model.Parameters;
import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.SourcePosition;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.model.TypeRef;
import io.rapace.idl.model.Variant;
import java.util.ArrayList;
import java.util.List;

/** Turns checked syntax trees, which had no error at all, into the model. */
final class ModelBuilder {

    /** The Java name of the one unnamed argument of an IDL method, which has no name of its own. */
    static final String SINGLE_PARAMETER_NAME = "request";
    /** The same for a client- or bidi-streaming method, whose argument is the stream of requests. */
    static final String STREAM_PARAMETER_NAME = "requests";

    private final Checker.Resolution resolution;
    private Source source;

    private ModelBuilder(Checker.Resolution resolution) {
        this.resolution = resolution;
    }

    static Schema build(List<Loader.Unit> units, Checker.Resolution resolution) {
        ModelBuilder builder = new ModelBuilder(resolution);
        List<TypeDecl> types = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        for (Loader.Unit unit : units) {
            builder.source = unit.source;
            String packageName = unit.ast.packageText();
            String javaPackage = JavaNames.javaPackage(packageName);
            for (Ast.Declaration declaration : unit.ast.declarations()) {
                if (declaration instanceof Ast.StructDef struct) {
                    types.add(builder.struct(struct, javaPackage));
                } else if (declaration instanceof Ast.EnumDef enumeration) {
                    types.add(builder.enumeration(enumeration, javaPackage));
                } else {
                    services.add(builder.service((Ast.ServiceDef) declaration, packageName, javaPackage));
                }
            }
        }
        return new Schema(types, services);
    }

    private StructDecl struct(Ast.StructDef struct, String javaPackage) {
        return new StructDecl(resolution.typeNames.get(struct),
                JavaClassName.of(javaPackage, JavaNames.typeName(struct.name().text())), fields(struct.fields()),
                struct.doc(), position(struct.name().offset()));
    }

    private EnumDecl enumeration(Ast.EnumDef enumeration, String javaPackage) {
        JavaClassName javaName = JavaClassName.of(javaPackage, JavaNames.typeName(enumeration.name().text()));
        List<Variant> variants = new ArrayList<>();
        for (Ast.VariantDef variant : enumeration.variants()) {
            String name = variant.name().text();
            variants.add(new Variant(name, variants.size(), variant.unit(), fields(variant.fields()),
                    JavaNames.enumConstant(name), javaName.nested(JavaNames.typeName(name)), variant.doc(),
                    position(variant.name().offset())));
        }
        return new EnumDecl(resolution.typeNames.get(enumeration), javaName, variants, enumeration.doc(),
                position(enumeration.name().offset()));
    }

    private List<Field> fields(List<Ast.FieldDef> fields) {
        List<Field> built = new ArrayList<>(fields.size());
        for (Ast.FieldDef field : fields) {
            String name = field.name().text();
            built.add(new Field(name, JavaNames.fieldName(name), type(field.type()), field.doc(),
                    position(field.name().offset())));
        }
        return built;
    }

    private Service service(Ast.ServiceDef service, String packageName, String javaPackage) {
        String identifier = service.name().text();
        String name = service.serviceName() != null ? service.serviceName().value()
                : Service.defaultName(packageName, identifier);
        String version = service.version() != null ? service.version().value() : Service.DEFAULT_VERSION;
        List<Method> methods = new ArrayList<>();
        for (Ast.MethodDef method : service.methods()) {
            methods.add(method(method));
        }
        return new Service(packageName, identifier, name, version,
                JavaClassName.of(javaPackage, JavaNames.typeName(identifier)), methods, service.doc(),
                position(service.name().offset()));
    }

    private Method method(Ast.MethodDef method) {
        String name = method.name().text();
        Parameters parameters;
        if (method.params() instanceof Ast.SingleParam single) {
            parameters = new Parameters.Single(type(single.type()),
                    method.kind().streamsRequests() ? STREAM_PARAMETER_NAME : SINGLE_PARAMETER_NAME);
        } else if (method.params() instanceof Ast.NamedParams named) {
            List<Parameter> list = new ArrayList<>();
            for (Ast.ParamDef parameter : named.params()) {
                String parameterName = parameter.name().text();
                list.add(new Parameter(parameterName, JavaNames.fieldName(parameterName), type(parameter.type()),
                        position(parameter.name().offset())));
            }
            parameters = new Parameters.Named(list);
        } else {
            parameters = new Parameters.None(position(((Ast.NoParams) method.params()).offset()));
        }
        TypeRef response = method.result() == null ? new TypeRef.Unit(position(method.offset()))
                : type(method.result());
        return new Method(name, JavaNames.methodName(name), resolution.ids.get(method), method.id() != null,
                method.kind(), parameters, response, method.doc(), position(method.offset()));
    }

    private TypeRef type(Ast.Type type) {
        SourcePosition position = position(type.offset());
        if (type instanceof Ast.Builtin builtin) {
            return new TypeRef.Primitive(builtin.type(), position);
        } else if (type instanceof Ast.OptionType option) {
            return new TypeRef.OptionOf(type(option.element()), position);
        } else if (type instanceof Ast.ListType list) {
            return new TypeRef.ListOf(type(list.element()), position);
        } else if (type instanceof Ast.MapType map) {
            return new TypeRef.MapOf(type(map.key()), type(map.value()), position);
        } else if (type instanceof Ast.ArrayType array) {
            return new TypeRef.ArrayOf(type(array.element()), array.length(), position);
        } else if (type instanceof Ast.NamedType named) {
            return new TypeRef.Declared(resolution.typeNames.get(resolution.references.get(named)), position);
        } else if (type instanceof Ast.UnitType) {
            return new TypeRef.Unit(position);
        }
        throw new IllegalStateException("a type with an error reached the model at " + position);
    }

    private SourcePosition position(int offset) {
        return new SourcePosition(source.name(), source.line(offset), source.column(offset));
    }
}
