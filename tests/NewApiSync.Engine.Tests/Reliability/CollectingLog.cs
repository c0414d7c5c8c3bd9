using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Api;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>Keeps every message the engine logs, at every level, so the security tests can scan them for the token.</summary>
    internal sealed class CollectingLog : INewApiLog
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => _messages.ToList();

        public void Verbose(string message) => _messages.Enqueue(message);

        public void Debug(string message) => _messages.Enqueue(message);

        public void Warning(string message) => _messages.Enqueue(message);
    }
}
