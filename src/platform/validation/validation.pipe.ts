import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationFailed } from '../errors/domain-error';

/**
 * The management API's validation: unknown fields rejected, values transformed to DTO
 * classes, and every failure reported with the dotted path of its field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors), 'The request is invalid; see errors for each field.'),
  });
}

export function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      result.push({ field, message: humanize(message, error.property) });
    }
    if (error.children?.length) result.push(...flatten(error.children, field));
  }
  return result;
}

/** class-validator writes "property x should not exist" / "x must be a string"; keep the rule, drop the echo of the name. */
function humanize(message: string, property: string): string {
  if (message === `property ${property} should not exist`) return 'is not a known field';
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
