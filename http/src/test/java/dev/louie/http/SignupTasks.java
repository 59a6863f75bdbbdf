package dev.louie.http;

import dev.louie.core.Task;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Tasks with jakarta.validation constraints on parameters, record components and list elements. */
public class SignupTasks {
    /** Constraints on record components. */
    public record Signup(@NotBlank String name, @Min(18) int age, @Email String email) {
    }

    @Task(name = "signup")
    public String signup(@Valid Signup signup, @Size(max = 3) List<@NotBlank String> tags) {
        return signup.name();
    }

    /** The record's constraints hold even without {@code @Valid} on the parameter. */
    @Task(name = "invite")
    public String invite(Signup signup) {
        return signup.email();
    }

    @Task(name = "rate")
    public int rate(@Min(1) @Max(5) int stars) {
        return stars;
    }
}
