import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

/** A required display name: trimmed length 1–200. */
export const IsName = (description: string, example: string) =>
  applyDecorators(Trimmed(), IsString(), IsNotEmpty(), MaxLength(200), ApiProperty({ description, example, maxLength: 200 }));

/** Surrounding whitespace is removed before validation, so a blank value counts as empty. */
export const Trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export const IsEmailAddress = (description = 'Email address.', example = 'ada@example.com') =>
  applyDecorators(IsEmail({}, { message: 'must be an email address' }), MaxLength(320), ApiProperty({ description, example, format: 'email' }));

/** Passwords: 12–200 characters; no composition rules (length beats them). */
export const IsNewPassword = () =>
  applyDecorators(
    IsString(),
    MinLength(12, { message: 'must be at least 12 characters long' }),
    MaxLength(200),
    ApiProperty({ description: 'At least 12 characters.', example: 'correct-horse-battery-staple', minLength: 12, format: 'password' }),
  );

export const IsOneOf = <T extends string>(values: readonly T[], description: string, example: T) =>
  applyDecorators(IsIn(values as T[], { message: `must be one of: ${values.join(', ')}` }), ApiProperty({ description, example, enum: values }));

export const IsId = (description: string, example = '4b7c1a62-8d0e-4f38-9a3c-2f6d5e1b7a90') =>
  applyDecorators(IsUUID('all', { message: 'must be a UUID' }), ApiProperty({ description, example, format: 'uuid' }));

export const IsOptionalText = (description: string, example: string, maxLength = 2000) =>
  applyDecorators(IsOptional(), IsString(), MaxLength(maxLength), ApiPropertyOptional({ description, example, maxLength, nullable: true }));
