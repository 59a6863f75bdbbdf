package dev.louie.spring;

import org.springframework.stereotype.Component;

/** A plain bean that a task uses. */
@Component
public class Salutation {
    /** The word a greeting starts with. */
    public String word() {
        return "hello";
    }
}
