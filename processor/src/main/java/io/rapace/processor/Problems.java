package io.rapace.processor;

import java.util.Map;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Reports errors on the element they concern and, where one annotation value is the problem, on that value, so that
 * javac and IDEs put the caret on it. Counts what it reported so a caller knows whether its element failed.
 */
final class Problems {

    private final Messager messager;
    private int errors;

    Problems(Messager messager) {
        this.messager = messager;
    }

    int errors() {
        return errors;
    }

    void error(Element element, String message) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }

    /** An error on the value {@code member} of the annotation {@code annotation} on {@code element}, if written. */
    void error(Element element, String annotation, String member, String message) {
        AnnotationMirror mirror = mirror(element, annotation);
        if (mirror == null) {
            error(element, message);
            return;
        }
        AnnotationValue value = explicitValue(mirror, member);
        errors++;
        if (value == null) {
            messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror);
        } else {
            messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror, value);
        }
    }

    static AnnotationMirror mirror(Element element, String annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
                return mirror;
            }
        }
        return null;
    }

    static AnnotationValue explicitValue(AnnotationMirror mirror, String member) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : mirror.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(member)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
