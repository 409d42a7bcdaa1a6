package io.rapace.idl.gen;

import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/**
 * The service interface {@code Foo}: one abstract method per schema method, the same signature for callers (through
 * {@code FooClient}) and implementers. It carries no {@code @RapaceService}, so that an annotation processor on the
 * same class path does not generate the service a second time.
 */
final class InterfaceGenerator {

    private InterfaceGenerator() {
    }

    static TypeSpec generate(ServicePlan plan, String... qualify) {
        TypeSpec.Builder java = TypeSpec.interfaceBuilder(Names.service(plan.service()))
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc(Docs.javadoc(plan.service().doc()));
        for (ServicePlan.MethodPlan method : plan.methods()) {
            java.addMethod(plan.signature(method)
                    .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                    .addJavadoc(Docs.javadoc(method.method().doc()))
                    .build());
        }
        return java.alwaysQualify(qualify).build();
    }
}
