package dev.ser.engine.backend;

/**
 * The scalars of one Adam/AdamW step for one parameter, computed by {@code optim.Adam} in double as
 * PyTorch computes them in Python floats; a backend applies them element by element
 * ({@link Backend#adamUpdate}). For float32 parameters every scalar is rounded to float first, as
 * PyTorch does when it hands a Python number to a float32 kernel.
 *
 * @param decay     AdamW's {@code 1 - lr * weight_decay} (1 for Adam)
 * @param l2        Adam's weight decay added to the gradient (0 for AdamW)
 * @param stepSize  {@code lr / (1 - beta1^step)}
 * @param biasCorrection2Sqrt {@code sqrt(1 - beta2^step)}
 */
public record AdamUpdate(double beta1, double beta2, double eps, double decay, double l2, double stepSize,
                         double biasCorrection2Sqrt) {}
