package dev.ser.engine.autograd;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutogradTest {
    @Test void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(new double[]{1, 2, 3}, 3).requiresGrad(true);
        x.mul(x).sum().backward();           // d/dx x^2 = 2x
        x.scale(3).sum().backward();         // + 3
        assertArrayEquals(new double[]{5, 7, 9}, x.grad().toDoubleArray(), 0);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test void aTensorUsedTwiceGetsTheSumOfBothPaths() {
        Tensor x = Tensor.of(new double[]{2}, 1).requiresGrad(true);
        Tensor y = x.mul(x).add(x.tanh());  // dy/dx = 2x + 1 - tanh^2 x
        y.sum().backward();
        assertEquals(4 + 1 - Math.pow(Math.tanh(2), 2), x.grad().item(), 1e-15);
    }

    @Test void backwardTwiceThroughAFreedGraphFails() {
        Tensor x = Tensor.of(new double[]{1, 2}, 2).requiresGrad(true);
        Tensor loss = x.tanh().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test void retainGraphAllowsASecondBackward() {
        Tensor x = Tensor.of(new double[]{1, 2}, 2).requiresGrad(true);
        Tensor loss = x.tanh().sum();
        loss.backward(Tensor.scalar(DType.F64, 1), true);
        loss.backward();
        assertEquals(2 * (1 - Math.pow(Math.tanh(1), 2)), x.grad().get(0), 1e-15);
    }

    @Test void nonScalarNeedsASeed() {
        Tensor x = Tensor.of(new double[]{1, 2}, 2).requiresGrad(true);
        Tensor y = x.scale(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        y.backward(Tensor.of(new double[]{1, 10}, 2));
        assertArrayEquals(new double[]{2, 20}, x.grad().toDoubleArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> x.scale(2).backward(Tensor.of(new double[]{1, 2, 3}, 3)));
    }

    @Test void noGradModeRecordsNothing() {
        Tensor x = Tensor.of(new double[]{1, 2}, 2).requiresGrad(true);
        Tensor y;
        try (GradMode ignored = GradMode.off()) {
            y = x.mul(x);
        }
        assertFalse(y.requiresGrad());
        assertTrue(x.mul(x).requiresGrad());
        assertThrows(IllegalStateException.class, y.sum()::backward);
    }

    @Test void mismatchedDtypesAndShapesAreClearErrors() {
        Tensor a = Tensor.zeros(DType.F32, 2, 3), b = Tensor.zeros(DType.F64, 2, 3), c = Tensor.zeros(DType.F32, 4);
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e1.getMessage().contains("dtype mismatch"), e1.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> a.add(c));
        assertTrue(e2.getMessage().contains("do not broadcast"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> a.matmul(a));
        assertTrue(e3.getMessage().contains("inner dimensions"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.reshape(5, -1));
    }

    @Test void float32GradientsFlowAndCastIsDifferentiable() {
        Tensor x = Tensor.of(new float[]{0.5f, -1f}, 2).requiresGrad(true);
        x.to(DType.F64).mul(Tensor.of(new double[]{3, 4}, 2)).sum().backward();
        assertEquals(DType.F32, x.grad().dtype());
        assertArrayEquals(new float[]{3, 4}, x.grad().toFloatArray(), 0);
    }
}
