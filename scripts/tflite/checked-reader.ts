/**
 * A bounds-checked view of a FlatBuffer, enough to walk TFLite files without generated code.
 * Every read checks that it stays inside the file, so a truncated or foreign file fails with a message
 * that says so instead of yielding garbage.
 */
export class CheckedFlatBuffer {
  private readonly view: DataView;

  /** @param bytes the whole file; @param label names the file in error messages */
  constructor(
    readonly bytes: Uint8Array,
    readonly label: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws a clear error unless `[pos, pos + size)` lies inside the file. */
  need(pos: number, size: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || pos + size > this.bytes.length) {
      throw new Error(
        `${this.label}: ${what} at byte ${pos} (+${size}) lies outside the file (${this.bytes.length} bytes): ` +
          'the file is truncated or is not a TFLite model',
      );
    }
  }

  u8(pos: number): number {
    this.need(pos, 1, 'a byte');
    return this.view.getUint8(pos);
  }
  u16(pos: number): number {
    this.need(pos, 2, 'a 16-bit value');
    return this.view.getUint16(pos, true);
  }
  u32(pos: number): number {
    this.need(pos, 4, 'a 32-bit value');
    return this.view.getUint32(pos, true);
  }
  i32(pos: number): number {
    this.need(pos, 4, 'a 32-bit value');
    return this.view.getInt32(pos, true);
  }
  f32(pos: number): number {
    this.need(pos, 4, 'a float');
    return this.view.getFloat32(pos, true);
  }
  u64(pos: number): number {
    this.need(pos, 8, 'a 64-bit value');
    return Number(this.view.getBigUint64(pos, true));
  }

  /** The 4-character file identifier at bytes 4–8. */
  identifier(): string {
    this.need(0, 8, 'the header');
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  /** Position of the root table. */
  root(): number {
    const pos = this.u32(0);
    this.need(pos, 4, 'the root table');
    return pos;
  }

  /** Follows the uoffset stored at `pos`. */
  indirect(pos: number): number {
    return pos + this.u32(pos);
  }

  /**
   * Absolute position of field `slot` of the table at `table`, or 0 when the field is absent.
   * (The vtable holds 16-bit offsets: [vtable size, table size, field 0, field 1, …].)
   */
  field(table: number, slot: number): number {
    const vtable = table - this.i32(table);
    const vtableSize = this.u16(vtable);
    const entry = 4 + 2 * slot;
    if (entry >= vtableSize) return 0;
    const offset = this.u16(vtable + entry);
    if (offset === 0) return 0;
    this.need(table + offset, 1, `field ${slot}`);
    return table + offset;
  }

  /** The table referenced by field `slot`, or 0 when absent. */
  tableField(table: number, slot: number): number {
    const pos = this.field(table, slot);
    return pos === 0 ? 0 : this.indirect(pos);
  }

  /** Start of the elements and length of the vector referenced by field `slot` (length 0 when absent). */
  vectorField(table: number, slot: number, elementSize: number): { start: number; length: number } {
    const pos = this.field(table, slot);
    if (pos === 0) return { start: 0, length: 0 };
    const vector = this.indirect(pos);
    const length = this.u32(vector);
    this.need(vector + 4, length * elementSize, `a vector of ${length} elements`);
    return { start: vector + 4, length };
  }

  /** Absolute positions of the tables in the vector of tables at field `slot`. */
  tableVectorField(table: number, slot: number): number[] {
    const { start, length } = this.vectorField(table, slot, 4);
    return Array.from({ length }, (_, i) => this.indirect(start + 4 * i));
  }

  /** The string at field `slot`, or undefined when absent. */
  stringField(table: number, slot: number): string | undefined {
    const { start, length } = this.vectorField(table, slot, 1);
    if (start === 0) return undefined;
    return new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }
}
