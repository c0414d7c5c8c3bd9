using System;
using System.Buffers;
using System.IO;
using System.Runtime.CompilerServices;
using NewApiSync.Engine.Internal;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// Reads a journal file line by line, at most <c>limit</c> bytes in all (the file's length when it was opened, so a
    /// file that grows or never ends is read only as far as it was), holding one line at a time. A line longer than
    /// <c>maxLineBytes</c> is reported as <see cref="Overlong"/> and its bytes are dropped as they are read.
    /// </summary>
    internal sealed class JournalLineReader : IDisposable
    {
        private const int ChunkBytes = 1024 * 1024;

        /// <summary>A chunk for reading only the first line: a run's header is a few KB, its file up to MBs.</summary>
        public const int FirstLineChunkBytes = 64 * 1024;

        private readonly Stream _stream;
        private readonly int _maxLineBytes;
        private readonly byte[] _chunk;
        private long _remaining;
        private int _chunkStart;
        private int _chunkEnd;
        private byte[] _line;
        private int _lineLength;

        public JournalLineReader(Stream stream, long limit, int maxLineBytes, int chunkBytes = ChunkBytes)
        {
            _stream = stream;
            _remaining = Math.Max(0, limit);
            _maxLineBytes = maxLineBytes;
            _chunk = ArrayPool<byte>.Shared.Rent(chunkBytes);
            _line = ArrayPool<byte>.Shared.Rent(64 * 1024);
        }

        /// <summary>The current line without its newline (empty when <see cref="Overlong"/>); valid until the next call.</summary>
        public ReadOnlyMemory<byte> Line => Overlong ? ReadOnlyMemory<byte>.Empty
            : _inChunkLength >= 0 ? new ReadOnlyMemory<byte>(_chunk, _inChunkStart, _inChunkLength)
            : new ReadOnlyMemory<byte>(_line, 0, _lineLength);

        // A line that lies wholly inside the current chunk is not copied (most lines): its place in the chunk, or -1.
        private int _inChunkStart;
        private int _inChunkLength = -1;

        /// <summary>False for a last line with no newline (its writer may have stopped mid-line).</summary>
        public bool Terminated { get; private set; }

        /// <summary>True when the line was longer than the limit; its text is not kept.</summary>
        public bool Overlong { get; private set; }

        /// <summary>1-based number of the current line.</summary>
        public long LineNumber { get; private set; }

        /// <summary>Moves to the next line; false at the end of what is read.</summary>
        [MethodImpl(HotPath.Optimized)]
        public bool Next()
        {
            _inChunkLength = -1;
            _lineLength = 0;
            Overlong = false;
            Terminated = false;
            bool any = false;
            while (true)
            {
                if (_chunkStart >= _chunkEnd && !Fill())
                {
                    if (any)
                    {
                        LineNumber++;
                    }

                    return any;
                }

                any = true;
                int newline = Array.IndexOf(_chunk, (byte)'\n', _chunkStart, _chunkEnd - _chunkStart);
                int end = newline >= 0 ? newline : _chunkEnd;
                if (newline >= 0 && _lineLength == 0 && !Overlong && end - _chunkStart <= _maxLineBytes)
                {
                    // The whole line is in the chunk, which stays untouched until the next call.
                    _inChunkStart = _chunkStart;
                    _inChunkLength = end - _chunkStart;
                    _chunkStart = newline + 1;
                    Terminated = true;
                    LineNumber++;
                    return true;
                }

                Append(_chunkStart, end - _chunkStart);
                _chunkStart = newline >= 0 ? newline + 1 : _chunkEnd;
                if (newline >= 0)
                {
                    Terminated = true;
                    LineNumber++;
                    return true;
                }
            }
        }

        private bool Fill()
        {
            if (_remaining <= 0)
            {
                return false;
            }

            int read = _stream.Read(_chunk, 0, (int)Math.Min(_chunk.Length, _remaining));
            if (read <= 0)
            {
                _remaining = 0;
                return false;
            }

            _remaining -= read;
            _chunkStart = 0;
            _chunkEnd = read;
            return true;
        }

        private void Append(int offset, int count)
        {
            if (Overlong || count == 0)
            {
                return;
            }

            if ((long)_lineLength + count > _maxLineBytes)
            {
                Overlong = true;
                _lineLength = 0;
                return;
            }

            if (_lineLength + count > _line.Length)
            {
                byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_maxLineBytes, Math.Max(_line.Length * 2, _lineLength + count)));
                Buffer.BlockCopy(_line, 0, bigger, 0, _lineLength);
                ArrayPool<byte>.Shared.Return(_line);
                _line = bigger;
            }

            Buffer.BlockCopy(_chunk, offset, _line, _lineLength, count);
            _lineLength += count;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            ArrayPool<byte>.Shared.Return(_line);
        }
    }
}
